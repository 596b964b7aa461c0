/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The FTMS control point queue (ftms-reference.md §7.3, §12.1, §12.3): one request in
 * flight, the 0x80 response indication correlated by request op code, a timeout and a
 * bounded number of retries, Request Control inserted whenever control is not held,
 * duplicate targets skipped, and the uint8 -> sint16 resistance fallback. Pure logic: the
 * write, the timer and the reports go through struct cp_transport, so a unit test drives
 * it with a fake transport and a fake clock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ftms.h"

#define CP_QUEUE_MAX 8
#define CP_ECHOES    8 /* sent values of one op code whose Machine Status may still come */
/* How long after a request its Machine Status echo may come: "within about a second"
 * (reference §9), with room for a loaded link. Later, the same status is the console's. */
#define CP_ECHO_MS 3000

/* How the machine takes Set Target Resistance (values match enum storage_resistance_form). */
enum cp_resistance_form {
	CP_RESISTANCE_UNKNOWN = 0,
	CP_RESISTANCE_UINT8 = 1,
	CP_RESISTANCE_SINT16 = 2,
};

enum cp_quirk {
	CP_QUIRK_NO_INDICATE,
	CP_QUIRK_WRONG_OPCODE,
};

struct cp_result {
	struct ftms_cp_request req; /* what was sent (resistance: the form used) */
	/*
	 * > 0: the FTMS result code the machine sent (enum ftms_cp_result);
	 * 0: skipped, the machine already has this target;
	 * -ETIMEDOUT no response indication, -EIO (or another -errno) the write failed,
	 * -ENOTCONN the link went down, -ERANGE the value does not fit the wire format.
	 */
	int outcome;
	unsigned attempt; /* 1 for the first try */
	bool final;	  /* false: a retry or a fallback follows */
};

struct cp_transport {
	/* A monotonic clock, in milliseconds (the echoes' window). */
	uint64_t (*now_ms)(void *userdata);
	/* Start writing @buf to the control point; the completion comes via cp_queue_write_done().
	 * Return: 0 or -errno (then treated like a failed write). */
	int (*write)(void *userdata, const uint8_t *buf, size_t len);
	/* (Re)arm the one response timer; on expiry call cp_queue_timeout(). */
	void (*arm)(void *userdata, unsigned ms);
	void (*disarm)(void *userdata);
	/* Every result, intermediate ones included. */
	void (*result)(void *userdata, const struct cp_result *r);
	/* The resistance form was learned (to be remembered per machine). */
	void (*form)(void *userdata, enum cp_resistance_form form);
	/* Once per link, how this control point differs from the specification: it never
	 * indicates (requests are taken as carried out once written), or its responses name
	 * another request op code (taken as the answer to the one request in flight). */
	void (*quirk)(void *userdata, enum cp_quirk quirk);
};

struct cp_entry {
	struct ftms_cp_request req;
	unsigned attempts;
	bool rc_sent; /* Request Control was put ahead of this try */
	bool wide;    /* resistance: this try uses the sint16 form */
	bool chosen;  /* resistance: the form was chosen */
};

struct cp_queue {
	const struct cp_transport *t;
	void *userdata;
	unsigned timeout_ms;
	unsigned retries;
	struct cp_entry q[CP_QUEUE_MAX]; /* q[0] is in flight when busy */
	unsigned n;
	bool busy;
	bool online;
	bool control;
	bool released;	   /* control given back (cp_queue_release): not requested again unasked */
	bool written;	   /* the write of the request in flight completed */
	bool indicated;	   /* an indication came on this link */
	bool silent;	   /* the control point never indicates: a completed write is success */
	bool wrong_opcode; /* a response named another op code (reported once) */
	enum cp_resistance_form form;
	bool have_last[FTMS_CP_OP_MAX + 1];
	union ftms_param last[FTMS_CP_OP_MAX + 1]; /* last target the machine accepted */
	/* Requests sent whose Machine Status echo has not come (many machines echo a client's
	 * own changes, although the specification sends them only to the other clients). */
	struct {
		bool pending;
		union ftms_param param;
		uint64_t sent_ms; /* transport's now_ms() when the request went out */
	} echo[FTMS_CP_OP_MAX + 1][CP_ECHOES];
};

/* Set up an offline queue. */
void cp_queue_init(struct cp_queue *q, const struct cp_transport *t, void *userdata,
		   unsigned timeout_ms, unsigned retries, enum cp_resistance_form form);

/* The link is ready (indications on): request control, unless it was given back. */
void cp_queue_online(struct cp_queue *q);

/* The link is gone: every queued request ends with -ENOTCONN, control and targets are
 * forgotten. */
void cp_queue_offline(struct cp_queue *q);

/*
 * Queue a request. A target equal to the one the machine last accepted is skipped (reported
 * with outcome 0); a target replaces a queued, not yet sent request of the same op code.
 * Return: 0 queued, 1 skipped, -ENOTCONN offline, -ENOBUFS queue full.
 */
int cp_queue_submit(struct cp_queue *q, const struct ftms_cp_request *req);

/* The write of the request in flight completed (0) or failed (-errno). */
void cp_queue_write_done(struct cp_queue *q, int error);

/*
 * A control point indication arrived. One request is in flight at a time: once its write has
 * completed, a response naming another op code is its answer (CP_QUIRK_WRONG_OPCODE).
 * Return: 0 consumed, -EBADMSG malformed, -ESRCH nothing in flight to answer.
 */
int cp_queue_indication(struct cp_queue *q, const uint8_t *buf, size_t len);

/*
 * The response timer expired. A written request that is not answered on a link that never
 * indicated means a control point that acts without indicating: the request counts as carried
 * out, and from then on every request counts so once written (CP_QUIRK_NO_INDICATE), until an
 * indication comes or the link goes.
 */
void cp_queue_timeout(struct cp_queue *q);

/*
 * A Fitness Machine Status other than Control Permission Lost. An echo of a request this
 * client sent (same op, same value) changes nothing. Anything else the machine did by itself
 * (its console, a reset): a target changed forgets the accepted targets, so that the next
 * write of the client's own target is not skipped as a repeat; a Reset also ends control
 * (§7.3 rule 6), requested again at once unless it was given back.
 * Return: whether it is an echo.
 */
bool cp_queue_machine_status(struct cp_queue *q, const struct ftms_machine_status *st);

/* Machine Status 0xFF (Control Permission Lost): request control again, unless given back. */
void cp_queue_control_lost(struct cp_queue *q);

/*
 * Give control back: Reset (ends control permission, §7.3 rule 6), and no Request Control after
 * it, nor after a reconnect or a Control Permission Lost, until another request is submitted.
 * Return: 0 queued, 1 nothing to give back (control neither held nor on its way),
 * -ENOTCONN offline, -ENOBUFS queue full.
 */
int cp_queue_release(struct cp_queue *q);

/* Return: whether control is held. */
bool cp_queue_has_control(const struct cp_queue *q);
