indices ge2019 --wasted --format csv
