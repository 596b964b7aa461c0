/* SPDX-License-Identifier: MIT */
/*
 * Runs files through a fuzz target without libFuzzer, so any compiler and the normal
 * `meson test --suite fuzz` exercise the seed corpus (under ASan/UBSan in the sanitizer build).
 *   replay-TARGET FILE|DIR...
 * Each input is copied into a buffer of exactly its size so an over-read is caught.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	uint8_t tmp[4096];
	uint8_t *buf;
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	n = fread(tmp, 1, sizeof(tmp), f);
	fclose(f);
	buf = malloc(n ? n : 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, tmp, n);
	(void) LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

static int replay_dir(const char *dir)
{
	struct dirent *de;
	char path[4096];
	int count = 0, r;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		r = replay_file(path);
		if (r < 0) {
			closedir(d);
			return r;
		}
		count += r;
	}
	closedir(d);
	return count;
}

int main(int argc, char **argv)
{
	int total = 0, r;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		r = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(-r));
			return 1;
		}
		total += r;
	}
	printf("%d inputs replayed\n", total);
	/* An empty corpus means the seeds went missing: fail rather than pass vacuously. */
	return total > 0 ? 0 : 1;
}
