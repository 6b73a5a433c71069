project ge2024 --group muslim:LAB=-20,IND=+12,GRN=+6 --by changes
