swing by2012-bradford-west --pair LAB,RES --format csv
