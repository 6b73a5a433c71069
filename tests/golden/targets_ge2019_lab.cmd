targets ge2019 LAB --limit 10 --format csv
