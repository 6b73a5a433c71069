results by2021-batley-and-spen --by seat --format csv
