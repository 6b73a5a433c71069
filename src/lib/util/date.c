/* Dates as days since 1970-01-01 (forecast.h's bloc_date_days and bloc_date_text): the text
 * format lives here, with the other parsers. */
#include "bloc/forecast.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

int32_t bloc_date_days(const char *text)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, i;

	if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return BLOC_NO_DATE;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(text[i] >= '0' && text[i] <= '9'))
			return BLOC_NO_DATE;
	y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
	m = (text[5] - '0') * 10 + (text[6] - '0');
	d = (text[8] - '0') * 10 + (text[9] - '0');
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || (unsigned)d > mdays[m - 1])
		return BLOC_NO_DATE;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return BLOC_NO_DATE;
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

void bloc_date_text(int32_t z, char *buf)
{
	if (z < -719468 || z > 2932896) { /* outside the years 0 to 9999 */
		memcpy(buf, "none", 5);
		return;
	}
	z += 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int y0 = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	int y = (y0 + (m <= 2)) % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}
