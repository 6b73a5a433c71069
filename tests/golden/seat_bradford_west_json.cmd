seat by2012-bradford-west "bradford west" --format json
