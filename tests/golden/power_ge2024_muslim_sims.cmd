power ge2024 --group muslim --sims 2000 --seed 7 --decisive --format csv
