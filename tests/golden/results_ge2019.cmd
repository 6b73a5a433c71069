results ge2019 --format csv
