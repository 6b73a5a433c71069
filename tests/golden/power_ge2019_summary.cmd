power ge2019 --summary --format csv
