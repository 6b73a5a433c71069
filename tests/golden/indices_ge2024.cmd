indices ge2024 --format csv
