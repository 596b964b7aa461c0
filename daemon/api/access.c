/* SPDX-License-Identifier: MIT */
#include "access.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backride-dbus.h"
#include "macro.h"

int access_uid_allowed(uid_t uid, uid_t self, const char *group)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[4096];
	gid_t groups[256];
	gid_t gid;
	int n = ARRAY_SIZE(groups);

	if (uid == 0 || uid == self)
		return 1;
	if (!group || !*group)
		return 0;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || !grp)
		return 0; /* no such group: nobody else is a member */
	gid = grp->gr_gid;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &pwp) != 0 || !pwp)
		return 0;
	if (pwp->pw_gid == gid)
		return 1;
	if (getgrouplist(pwp->pw_name, pwp->pw_gid, groups, &n) < 0)
		return -E2BIG;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/* A small cache of sender unique name -> uid, so each client costs one lookup. */
#define ACCESS_CACHE_SIZE 16
static struct {
	char name[64];
	uid_t uid;
} access_cache[ACCESS_CACHE_SIZE];
static unsigned access_cache_next;

static int sender_uid(sd_bus_message *m, uid_t *ret)
{
	const char *sender = sd_bus_message_get_sender(m);
	sd_bus_creds *c = NULL;
	uid_t uid;
	int r;

	for (unsigned i = 0; sender && i < ACCESS_CACHE_SIZE; i++)
		if (strcmp(access_cache[i].name, sender) == 0) {
			*ret = access_cache[i].uid;
			return 0;
		}
	r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID, &c);
	if (r < 0)
		return r;
	r = sd_bus_creds_get_euid(c, &uid);
	if (r < 0)
		r = sd_bus_creds_get_uid(c, &uid);
	sd_bus_creds_unref(c);
	if (r < 0)
		return r;
	if (sender && strlen(sender) < sizeof(access_cache[0].name)) {
		unsigned i = access_cache_next++ % ACCESS_CACHE_SIZE;

		strcpy(access_cache[i].name, sender);
		access_cache[i].uid = uid;
	}
	*ret = uid;
	return 0;
}

int access_check(sd_bus_message *m, const char *group, sd_bus_error *err)
{
	uid_t uid;
	int r;

	r = sender_uid(m, &uid);
	if (r >= 0)
		r = access_uid_allowed(uid, geteuid(), group);
	if (r > 0)
		return 0;
	sd_bus_error_setf(err, BR_ERROR_ACCESS_DENIED,
			  "Only root and members of group '%s' may do this; ask an administrator "
			  "to add you (usermod -aG %s USER).",
			  group ? group : "", group ? group : "");
	return -EACCES;
}
