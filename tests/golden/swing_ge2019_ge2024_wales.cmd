swing ge2019 ge2024 --pair CON,LAB --nation Wales
