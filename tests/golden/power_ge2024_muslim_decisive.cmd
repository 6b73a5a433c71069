power ge2024 --group muslim --decisive
