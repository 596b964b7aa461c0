/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ftms.h"

/*
 * The server side of the FTMS control point (reference §7): control permission, result
 * codes, range checks, the Machine Status and Training Status that follow each change.
 * Pure: bytes in, events out. The caller applies accepted targets to its machine model and
 * handles the ATT-level rules (CCCD, procedure in progress).
 */
struct ftms_server {
	struct ftms_features features;
	struct ftms_range ranges[_FTMS_RANGE_KIND_MAX];
	bool has_range[_FTMS_RANGE_KIND_MAX];
	bool control;
	bool started;
	bool erg;		/* the last target was a power target */
	uint8_t training;	/* enum ftms_training_status_value */
	uint8_t refuse_control; /* fault: 0, or the result code answered to Request Control */
	bool cold_start;	/* quirk: targets fail (Operation Failed) until Start or Resume,
				 * and the link's end stops the machine */
};

struct ftms_server_event {
	bool parsed;
	struct ftms_cp_request req; /* valid if parsed */
	uint8_t result;		    /* enum ftms_cp_result */
	uint8_t response[20];
	size_t response_len;
	bool has_status;
	struct ftms_machine_status status;
	bool training_changed; /* server->training changed */
	uint8_t att_error;     /* non-zero: reject the write itself, nothing else happens */
};

/* Set up a server with these features; ranges are added with ftms_server_set_range(). */
void ftms_server_init(struct ftms_server *s, const struct ftms_features *f);

void ftms_server_set_range(struct ftms_server *s, enum ftms_range_kind kind, int32_t min,
			   int32_t max, uint32_t increment);

/*
 * Handle a control point write. On result Success the caller applies ev->req.
 * Return: 0; ev describes the response indication and status notifications.
 */
int ftms_server_write(struct ftms_server *s, const uint8_t *buf, size_t len,
		      struct ftms_server_event *ev);

/* The link dropped: control permission ends (§7.3 rule 1); a cold-start machine stops. */
void ftms_server_link_lost(struct ftms_server *s);

/*
 * The machine takes control away (console use, fault injection): the status to notify is
 * Control Permission Lost.
 * Return: bytes of the encoded status in buf, or -errno.
 */
int ftms_server_revoke_control(struct ftms_server *s, uint8_t *buf, size_t len);

/*
 * The user (console, safety key) stopped the machine.
 * Return: bytes of the encoded status in buf (op `status_op`), or -errno.
 */
int ftms_server_user_stop(struct ftms_server *s, uint8_t status_op, uint8_t *buf, size_t len);

/*
 * The user did at the console what request @req does (Reset, Start or Resume, Stop or Pause,
 * a target): the server's state follows, without control, and ev->status is the Machine
 * Status a machine notifies to every client then (ftms-reference.md §7.3 rule 8).
 * Return: 0 (ev filled; the caller applies ev->req to its model), -EINVAL (not a console
 * action), -EOPNOTSUPP (a target the machine lacks), -ERANGE (out of range), -EALREADY
 * (started or stopped already).
 */
int ftms_server_console(struct ftms_server *s, const struct ftms_cp_request *req,
			struct ftms_server_event *ev);

/* Return: bytes of the encoded Training Status value, or -errno. */
int ftms_server_training_value(const struct ftms_server *s, uint8_t *buf, size_t len);
