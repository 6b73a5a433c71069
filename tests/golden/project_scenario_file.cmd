project ../scenarios/ge2024-notional-strong.json
