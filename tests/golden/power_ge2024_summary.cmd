power ge2024 --summary
