backtest ge2017 ge2019 --model uniform --by gb --format csv
