project ge2024 --group muslim:LAB=-20,IND=+12,GRN=+6 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 --by changes
