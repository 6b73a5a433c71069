power ge2019 --group muslim --format csv
