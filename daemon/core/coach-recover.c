/* SPDX-License-Identifier: MIT */
/* Sessions the daemon left open (it stopped or crashed): ended, recorded, their machine noted. */
#include "coach-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "macro.h"
#include "storage.h"
#include "wallclock.h"

struct machine_by_id {
	int64_t id;
	char *address;
};

static int find_machine(const struct storage_machine *sm, void *userdata)
{
	struct machine_by_id *f = userdata;

	if (sm->id != f->id)
		return 0;
	(void) snprintf(f->address, MACHINE_ADDRESS_MAX, "%s", sm->address);
	return 1;
}

/* The machine of the newest interrupted session: the one a crash may have left driven. */
static void recover_address(struct coach *co, const int64_t *ids, int n)
{
	struct storage_session x;
	struct machine_by_id f = { .address = co->safe_address };
	int64_t newest = 0;

	for (int i = 0; i < n; i++)
		newest = MAX(newest, ids[i]);
	if (storage_session_get(co->storage, newest, &x) < 0 || x.machine_id <= 0)
		return;
	f.id = x.machine_id;
	(void) storage_machines_list(co->storage, find_machine, &f);
}

/* Record and log how storage ended a session the daemon left open. */
static void recovered(struct coach *co, int64_t id)
{
	struct storage_session x;
	struct storage_event e = {
		.session_id = id,
		.ts_usec = wallclock_now() * (int64_t) USEC_PER_SEC,
		.t = BR_NONE,
		.type = "recovered",
		.value = BR_NONE,
		.detail = "the daemon stopped during the session; marked interrupted",
	};

	if (storage_session_get(co->storage, id, &x) >= 0 &&
	    strcmp(x.end_reason, "completed") == 0) {
		e.detail = "the daemon stopped during the stretches; the ride was complete, the "
			   "stretches were cut short";
		log_warning("Session %lld stopped during its stretches (the daemon stopped); the "
			    "ride was complete, marked completed.",
			    (long long) id);
	} else
		log_warning("Session %lld was interrupted (the daemon stopped); marked as such.",
			    (long long) id);
	(void) storage_event_add(co->storage, &e);
}

void coach_recover(struct coach *co)
{
	_cleanup_free_ int64_t *ids = NULL;
	int n;

	n = storage_sessions_recover(co->storage, &ids);
	if (n < 0) {
		log_warning("Cannot check for interrupted sessions (%s).", strerror(-n));
		return;
	}
	for (int i = 0; i < n; i++)
		recovered(co, ids[i]);
	co->make_safe = n > 0;
	if (n > 0)
		recover_address(co, ids, n);
}
