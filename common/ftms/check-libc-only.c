/* SPDX-License-Identifier: MIT */
/*
 * Linked from the whole codec archive with -nodefaultlibs -lc: if the codec ever needs a symbol
 * from anywhere but libc (libm, libuv, sd-bus, SQLite, our util library), this fails to link.
 * Running it exercises one parser so the test is not an empty shell.
 */
#include "ftms.h"

int main(void)
{
	static const uint8_t frame[] = { 0x44, 0x02, 0xAA, 0x05, 0x2E, 0x00, 0x18, 0x00, 0x46 };
	struct ftms_indoor_bike_data d;

	if (ftms_ibd_parse(frame, sizeof(frame), &d) < 0 || d.heart_rate != 70)
		return 1;
	return 0;
}
