project ge2024 --region Scotland:SNP=36,LAB=30 --swing LAB:REF=3 --by flow
