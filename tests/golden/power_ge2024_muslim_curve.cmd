power ge2024 --group muslim --curve
