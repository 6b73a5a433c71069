project ge2024 --shares LAB=30,CON=22,REF=20
