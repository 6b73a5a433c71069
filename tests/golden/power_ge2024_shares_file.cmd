power ge2024 --group kashmiri --census ../power/ge2024-shares.csv --third GRN --sims 500 --seed 3 --decisive
