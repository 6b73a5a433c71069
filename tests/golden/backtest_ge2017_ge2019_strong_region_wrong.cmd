backtest ge2017 ge2019 --model strong --by region --wrong --format csv
