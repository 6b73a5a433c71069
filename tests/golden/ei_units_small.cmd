ei --units ../ei/small.csv --id ward --groups A,B --parties X,Y --format csv
