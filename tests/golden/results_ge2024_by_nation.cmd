results ge2024 --by nation --format csv
