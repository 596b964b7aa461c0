/* SPDX-License-Identifier: MIT */
/* The control point queue against a fake transport: writes, timer and results recorded. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cp.h"

struct fake {
	uint8_t writes[32][20];
	size_t write_len[32];
	unsigned n_writes;
	int armed;
	unsigned armed_ms;
	struct cp_result results[32];
	unsigned n_results;
	int form;
	int fail_write;
	unsigned quirks[2]; /* times each enum cp_quirk was reported */
	uint64_t now_ms;    /* the fake clock */
};

static int fake_write(void *ud, const uint8_t *buf, size_t len)
{
	struct fake *f = ud;

	assert_true(f->n_writes < 32);
	memcpy(f->writes[f->n_writes], buf, len);
	f->write_len[f->n_writes++] = len;
	return f->fail_write;
}

static void fake_arm(void *ud, unsigned ms)
{
	struct fake *f = ud;

	f->armed = 1;
	f->armed_ms = ms;
}

static void fake_disarm(void *ud)
{
	((struct fake *) ud)->armed = 0;
}

static void fake_result(void *ud, const struct cp_result *r)
{
	struct fake *f = ud;

	assert_true(f->n_results < 32);
	f->results[f->n_results++] = *r;
}

static void fake_form(void *ud, enum cp_resistance_form form)
{
	((struct fake *) ud)->form = form;
}

static void fake_quirk(void *ud, enum cp_quirk quirk)
{
	((struct fake *) ud)->quirks[quirk]++;
}

static uint64_t fake_now(void *ud)
{
	return ((struct fake *) ud)->now_ms;
}

static const struct cp_transport transport = {
	.now_ms = fake_now,
	.write = fake_write,
	.arm = fake_arm,
	.disarm = fake_disarm,
	.result = fake_result,
	.form = fake_form,
	.quirk = fake_quirk,
};

#define EXPECT_WRITE(f, i, ...)                                            \
	do {                                                               \
		const uint8_t want_[] = { __VA_ARGS__ };                   \
		assert_true((f)->n_writes > (i));                          \
		assert_int_equal((f)->write_len[i], sizeof(want_));        \
		assert_memory_equal((f)->writes[i], want_, sizeof(want_)); \
	} while (0)

#define BYTES3(a, b, c) ((const uint8_t[]) { a, b, c }), 3

static void respond(struct cp_queue *q, uint8_t op, uint8_t result)
{
	const uint8_t buf[] = { 0x80, op, result };

	assert_int_equal(cp_queue_indication(q, buf, sizeof(buf)), 0);
}

/* The one-shot timer fires. */
static void fire(struct cp_queue *q, struct fake *f)
{
	assert_true(f->armed);
	f->armed = 0;
	cp_queue_timeout(q);
}

/* Online, control granted: the usual start of every test. */
static void start(struct cp_queue *q, struct fake *f, unsigned retries)
{
	memset(f, 0, sizeof(*f));
	cp_queue_init(q, &transport, f, 2000, retries, CP_RESISTANCE_UNKNOWN);
	cp_queue_online(q);
	EXPECT_WRITE(f, 0, 0x00);
	assert_true(f->armed);
	assert_int_equal(f->armed_ms, 2000);
	respond(q, 0x00, 0x01);
	assert_false(f->armed);
	assert_true(cp_queue_has_control(q));
	assert_int_equal(f->n_results, 1);
	assert_int_equal(f->results[0].outcome, FTMS_CP_SUCCESS);
	assert_true(f->results[0].final);
}

static void test_offline_refuses(void **state)
{
	struct cp_queue q;
	struct fake f = { 0 };
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 100 };

	cp_queue_init(&q, &transport, &f, 2000, 1, CP_RESISTANCE_UNKNOWN);
	assert_int_equal(cp_queue_submit(&q, &req), -ENOTCONN);
	assert_int_equal(f.n_writes, 0);
}

static void test_power_then_duplicate_skipped(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 100 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 1, 0x05, 0x64, 0x00); /* 100 W, reference §7.1 */
	respond(&q, 0x05, 0x01);
	assert_int_equal(f.results[1].outcome, FTMS_CP_SUCCESS);
	/* The same target again: skipped, reported with outcome 0, nothing written. */
	assert_int_equal(cp_queue_submit(&q, &req), 1);
	assert_int_equal(f.n_writes, 2);
	assert_int_equal(f.results[2].outcome, 0);
	/* A different one goes out. */
	req.param.power = 110;
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 2, 0x05, 0x6E, 0x00);
}

/*
 * Back to the accepted value while another value of the same target is in flight: the
 * in-flight one will change it, so the return is sent after it, not skipped as a repeat
 * (a pause right after a step up left a bike at the step).
 */
static void test_back_to_accepted_while_in_flight(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p100 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 100 };
	struct ftms_cp_request p110 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 110 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p100), 0);
	respond(&q, 0x05, 0x01);
	assert_int_equal(cp_queue_submit(&q, &p110), 0);
	EXPECT_WRITE(&f, 2, 0x05, 0x6E, 0x00);
	/* 110 W in flight; back to 100 W: queued behind it, not skipped. */
	assert_int_equal(cp_queue_submit(&q, &p100), 0);
	assert_int_equal(f.n_writes, 3);
	respond(&q, 0x05, 0x01);
	EXPECT_WRITE(&f, 3, 0x05, 0x64, 0x00);
	respond(&q, 0x05, 0x01);
	/* Now 100 W is the accepted value: a repeat is skipped. */
	assert_int_equal(cp_queue_submit(&q, &p100), 1);
	assert_int_equal(f.n_writes, 4);
}

/* A machine that answered success and ignored a target is asked for control again: the same
 * target after that Request Control goes out again instead of being skipped as a repeat. */
static void test_request_control_resends_target(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p100 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 100 };
	struct ftms_cp_request rc = { .op = FTMS_CP_REQUEST_CONTROL };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p100), 0);
	respond(&q, 0x05, 0x01);
	assert_int_equal(cp_queue_submit(&q, &p100), 1); /* a repeat: skipped */
	assert_int_equal(cp_queue_submit(&q, &rc), 0);
	EXPECT_WRITE(&f, 2, 0x00);
	assert_int_equal(cp_queue_submit(&q, &p100), 0); /* queued behind it */
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 3, 0x05, 0x64, 0x00);
	respond(&q, 0x05, 0x01);
	assert_int_equal(f.n_writes, 4);
}

static void test_one_in_flight_and_coalesce(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p1 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 50 };
	struct ftms_cp_request p2 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 60 };
	struct ftms_cp_request p3 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 70 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p1), 0);
	assert_int_equal(cp_queue_submit(&q, &p2), 0);
	assert_int_equal(cp_queue_submit(&q, &p3), 0);
	assert_int_equal(f.n_writes, 2); /* only p1 is in flight */
	/* A response to another op code is not ours. */
	{
		const uint8_t stray[] = { 0x80, 0x04, 0x01 };

		assert_int_equal(cp_queue_indication(&q, stray, sizeof(stray)), -ESRCH);
	}
	respond(&q, 0x05, 0x01);
	/* p2 was replaced by p3 while waiting. */
	assert_int_equal(f.n_writes, 3);
	EXPECT_WRITE(&f, 2, 0x05, 0x46, 0x00);
}

static void test_request_control_first(void **state)
{
	struct cp_queue q;
	struct fake f = { 0 };
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_SPEED, .param.speed = 1000 };

	cp_queue_init(&q, &transport, &f, 2000, 1, CP_RESISTANCE_UNKNOWN);
	cp_queue_online(&q);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	assert_int_equal(f.n_writes, 1); /* RC in flight, the target waits */
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 1, 0x02, 0xE8, 0x03); /* 10 km/h, reference §7.1 */
}

static void test_not_permitted_requests_control_again(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_INCLINATION,
				       .param.inclination = -25 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 1, 0x03, 0xE7, 0xFF); /* -2.5 %, reference §7.1 */
	respond(&q, 0x03, FTMS_CP_CONTROL_NOT_PERMITTED);
	assert_false(cp_queue_has_control(&q));
	assert_int_equal(f.results[1].outcome, FTMS_CP_CONTROL_NOT_PERMITTED);
	assert_false(f.results[1].final);
	EXPECT_WRITE(&f, 2, 0x00);
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 3, 0x03, 0xE7, 0xFF);
	/* Refused again, retries used up: final. */
	respond(&q, 0x03, FTMS_CP_CONTROL_NOT_PERMITTED);
	assert_true(f.results[f.n_results - 1].final);
	assert_int_equal(f.results[f.n_results - 1].outcome, FTMS_CP_CONTROL_NOT_PERMITTED);
	assert_int_equal(f.n_writes, 4);
}

static void test_timeout_retries_then_fails(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 80 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	fire(&q, &f);
	assert_int_equal(f.results[1].outcome, -ETIMEDOUT);
	assert_false(f.results[1].final);
	/* Control is requested again before the retry. */
	EXPECT_WRITE(&f, 2, 0x00);
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 3, 0x05, 0x50, 0x00);
	fire(&q, &f);
	assert_int_equal(f.results[f.n_results - 1].outcome, -ETIMEDOUT);
	assert_true(f.results[f.n_results - 1].final);
	assert_false(f.armed);
}

static void test_other_results_are_final(void **state)
{
	static const uint8_t codes[] = { FTMS_CP_OP_NOT_SUPPORTED, FTMS_CP_INVALID_PARAMETER,
					 FTMS_CP_OPERATION_FAILED, 0x06 };
	struct ftms_cp_request req = { .op = FTMS_CP_START_RESUME };

	for (size_t i = 0; i < sizeof(codes); i++) {
		struct cp_queue q;
		struct fake f;

		start(&q, &f, 2);
		assert_int_equal(cp_queue_submit(&q, &req), 0);
		EXPECT_WRITE(&f, 1, 0x07);
		respond(&q, 0x07, codes[i]);
		assert_int_equal(f.results[1].outcome, codes[i]);
		assert_true(f.results[1].final);
		assert_int_equal(f.n_writes, 2);
	}
}

static void test_resistance_falls_back_to_sint16(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_RESISTANCE };

	start(&q, &f, 1);
	req.param.resistance.level = 50;
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 1, 0x04, 0x32); /* the spec's uint8 form */
	respond(&q, 0x04, FTMS_CP_INVALID_PARAMETER);
	assert_false(f.results[1].final);
	EXPECT_WRITE(&f, 2, 0x04, 0x32, 0x00); /* Tacx Flux style, reference §12.3 */
	respond(&q, 0x04, FTMS_CP_SUCCESS);
	assert_int_equal(f.form, CP_RESISTANCE_SINT16);
	assert_true(f.results[2].req.param.resistance.wide);
	/* Remembered: the next one goes out wide at once. */
	req.param.resistance.level = 60;
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 3, 0x04, 0x3C, 0x00);
}

static void test_resistance_uint8_learned(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_RESISTANCE };

	start(&q, &f, 1);
	req.param.resistance.level = 20;
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	respond(&q, 0x04, FTMS_CP_SUCCESS);
	assert_int_equal(f.form, CP_RESISTANCE_UINT8);
	/* Known uint8 machine: an invalid parameter is final, no fallback. */
	req.param.resistance.level = 30;
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	respond(&q, 0x04, FTMS_CP_INVALID_PARAMETER);
	assert_true(f.results[f.n_results - 1].final);
	assert_int_equal(f.n_writes, 3);
}

static void test_control_lost_and_reset(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request reset = { .op = FTMS_CP_RESET };

	start(&q, &f, 1);
	cp_queue_control_lost(&q);
	assert_false(cp_queue_has_control(&q));
	EXPECT_WRITE(&f, 1, 0x00);
	respond(&q, 0x00, 0x01);
	assert_true(cp_queue_has_control(&q));
	/* Reset ends control: ask again right after it. */
	assert_int_equal(cp_queue_submit(&q, &reset), 0);
	EXPECT_WRITE(&f, 2, 0x01);
	respond(&q, 0x01, 0x01);
	EXPECT_WRITE(&f, 3, 0x00);
}

/* Giving control back (after a session): Reset, and no Request Control after it, nor after a
 * Control Permission Lost or a reconnect; the next command asks for control first. */
static void test_release(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request power = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 40 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_release(&q), 0);
	EXPECT_WRITE(&f, 1, 0x01);
	respond(&q, 0x01, 0x01);
	assert_false(cp_queue_has_control(&q));
	assert_false(f.armed);
	cp_queue_control_lost(&q);
	cp_queue_offline(&q);
	cp_queue_online(&q);
	assert_int_equal(f.n_writes, 2);
	assert_int_equal(cp_queue_release(&q), 1); /* nothing held */
	assert_int_equal(f.n_writes, 2);
	assert_int_equal(cp_queue_submit(&q, &power), 0);
	EXPECT_WRITE(&f, 2, 0x00);
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 3, 0x05, 40, 0);
	respond(&q, 0x05, 0x01);
	/* Wanted again: a reconnect requests control as usual. */
	cp_queue_offline(&q);
	cp_queue_online(&q);
	EXPECT_WRITE(&f, 4, 0x00);
	assert_int_equal(cp_queue_release(&q), 0); /* queued behind the request */
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 5, 0x01);
	respond(&q, 0x01, 0x01);
	assert_int_equal(f.n_writes, 6);
	assert_false(cp_queue_has_control(&q));
}

static void test_control_lost_while_requesting(void **state)
{
	struct cp_queue q;
	struct fake f = { 0 };

	cp_queue_init(&q, &transport, &f, 2000, 1, CP_RESISTANCE_UNKNOWN);
	cp_queue_online(&q);
	EXPECT_WRITE(&f, 0, 0x00);
	/* Status 0xFF overtakes the answer to the request in flight. */
	cp_queue_control_lost(&q);
	respond(&q, 0x00, 0x01);
	EXPECT_WRITE(&f, 1, 0x00);
	respond(&q, 0x00, 0x01);
	assert_true(cp_queue_has_control(&q));
	assert_int_equal(f.n_writes, 2);
}

static void test_malformed_and_offline(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 90 };
	const uint8_t junk[] = { 0x81, 0x05 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	assert_int_equal(cp_queue_indication(&q, junk, sizeof(junk)), -EBADMSG);
	assert_true(f.armed); /* still waiting for the real one */
	cp_queue_offline(&q);
	assert_false(f.armed);
	assert_int_equal(f.results[f.n_results - 1].outcome, -ENOTCONN);
	assert_true(f.results[f.n_results - 1].final);
	assert_false(cp_queue_has_control(&q));
}

static void test_write_failure_retried(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request req = { .op = FTMS_CP_STOP_PAUSE, .param.stop_pause = FTMS_PAUSE };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &req), 0);
	EXPECT_WRITE(&f, 1, 0x08, 0x02);
	cp_queue_write_done(&q, -EIO); /* e.g. ATT 0xFE procedure already in progress */
	assert_int_equal(f.results[1].outcome, -EIO);
	assert_false(f.results[1].final);
	EXPECT_WRITE(&f, 2, 0x08, 0x02);
	cp_queue_write_done(&q, -EIO);
	assert_true(f.results[2].final);
	assert_false(f.armed);
}

/*
 * Machine Status: an echo of what this client asked changes nothing (many machines echo,
 * reference §9); a target set at the console makes the client's next write of its own target
 * go out (not skipped as a repeat); a reset at the console ends control, asked again at once.
 */
static void test_machine_status_echo_or_console(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p100 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 100 };
	struct ftms_cp_request start_req = { .op = FTMS_CP_START_RESUME };
	struct ftms_machine_status st = { .op = FTMS_STATUS_TARGET_POWER, .param.power = 100 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p100), 0);
	respond(&q, 0x05, 0x01);
	assert_true(cp_queue_machine_status(&q, &st)); /* the echo */
	/* Once: the same status again is the console's. */
	assert_false(cp_queue_machine_status(&q, &st));
	assert_int_equal(cp_queue_submit(&q, &p100), 0); /* not skipped */
	EXPECT_WRITE(&f, 2, 0x05, 0x64, 0x00);
	respond(&q, 0x05, 0x01);
	st.param.power = 150; /* the console */
	assert_false(cp_queue_machine_status(&q, &st));
	assert_int_equal(cp_queue_submit(&q, &p100), 0);
	EXPECT_WRITE(&f, 3, 0x05, 0x64, 0x00);
	respond(&q, 0x05, 0x01);
	assert_int_equal(cp_queue_submit(&q, &p100), 1); /* no status between: a repeat */

	/* Start refused (started already): no echo comes; the console's start is not one. */
	assert_int_equal(cp_queue_submit(&q, &start_req), 0);
	respond(&q, 0x07, 0x04);
	st = (struct ftms_machine_status) { .op = FTMS_STATUS_STARTED_BY_USER };
	assert_false(cp_queue_machine_status(&q, &st));
	assert_int_equal(cp_queue_submit(&q, &start_req), 0);
	respond(&q, 0x07, 0x01);
	assert_true(cp_queue_machine_status(&q, &st));

	/* A reset at the console: control is asked again at once. */
	st = (struct ftms_machine_status) { .op = FTMS_STATUS_RESET };
	assert_false(cp_queue_machine_status(&q, &st));
	assert_false(cp_queue_has_control(&q));
	EXPECT_WRITE(&f, f.n_writes - 1, 0x00);
	respond(&q, 0x00, 0x01);
	assert_true(cp_queue_has_control(&q));
	assert_int_equal(cp_queue_submit(&q, &p100), 0); /* the machine forgot it */
}

/*
 * A machine that notifies its Machine Status after its response (backride-sim does; reference
 * §9: within about a second): a Stop queued behind a Start goes out before the Start's echo
 * arrives. The echo is still the Start's, and the Stop's is the Stop's; once the machine has
 * answered the Stop, a Start status is the console's again.
 */
static void test_echo_after_next_request(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request start_req = { .op = FTMS_CP_START_RESUME };
	struct ftms_cp_request stop_req = { .op = FTMS_CP_STOP_PAUSE,
					    .param.stop_pause = FTMS_PAUSE };
	struct ftms_machine_status started = { .op = FTMS_STATUS_STARTED_BY_USER };
	struct ftms_machine_status paused = { .op = FTMS_STATUS_STOPPED_PAUSED_BY_USER,
					      .param.stop_pause = FTMS_PAUSE };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &start_req), 0);
	assert_int_equal(cp_queue_submit(&q, &stop_req), 0);
	respond(&q, 0x07, 0x01);
	/* The Stop is out when the Start's echo comes. */
	EXPECT_WRITE(&f, 2, 0x08, 0x02);
	assert_true(cp_queue_machine_status(&q, &started));
	respond(&q, 0x08, 0x01);
	assert_true(cp_queue_machine_status(&q, &paused));
	/* Both came: the next start is the console's. */
	assert_false(cp_queue_machine_status(&q, &started));

	/* A machine that does not echo: the Start's echo is given up once the Stop is answered. */
	assert_int_equal(cp_queue_submit(&q, &start_req), 0);
	assert_int_equal(cp_queue_submit(&q, &stop_req), 0);
	respond(&q, 0x07, 0x01);
	respond(&q, 0x08, 0x01);
	assert_false(cp_queue_machine_status(&q, &started));
}

/*
 * Echoes that lag behind the writes: the session sends its power twice (held against the
 * console, then again after the console's resistance) before the first echo comes, then a
 * lower power when it pauses. Both echoes of 30 W are the client's own, however many writes
 * come between; a third is the console's.
 */
static void test_echoes_lag_behind_writes(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p30 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 30 };
	struct ftms_cp_request p22 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 22 };
	struct ftms_machine_status resistance = { .op = FTMS_STATUS_TARGET_RESISTANCE,
						  .param.resistance.level = 50 };
	struct ftms_machine_status at30 = { .op = FTMS_STATUS_TARGET_POWER, .param.power = 30 };
	struct ftms_machine_status at22 = { .op = FTMS_STATUS_TARGET_POWER, .param.power = 22 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p30), 0);
	respond(&q, 0x05, 0x01);
	assert_false(cp_queue_machine_status(&q, &resistance)); /* the console */
	assert_int_equal(cp_queue_submit(&q, &p30), 0);
	respond(&q, 0x05, 0x01);
	assert_true(cp_queue_machine_status(&q, &at30));
	f.now_ms += 200;
	assert_int_equal(cp_queue_submit(&q, &p22), 0);
	respond(&q, 0x05, 0x01);
	assert_true(cp_queue_machine_status(&q, &at30)); /* the second write's echo */
	assert_true(cp_queue_machine_status(&q, &at22));
	assert_false(cp_queue_machine_status(&q, &at30)); /* the console */

	/* For a few seconds: a machine that never echoes (as the specification has it) leaves
	 * nothing behind that would hide the console's setting of a value sent before. */
	assert_int_equal(cp_queue_submit(&q, &p30), 0);
	respond(&q, 0x05, 0x01);
	f.now_ms += CP_ECHO_MS + 1;
	assert_false(cp_queue_machine_status(&q, &at30));
}

/*
 * A control point that carries requests out and never indicates (backride-sim --quirk
 * cp-no-indicate): one bounded wait, then a completed write counts as done; no queue hangs.
 */
static void test_never_indicates(void **state)
{
	struct cp_queue q;
	struct fake f = { 0 };
	struct ftms_cp_request p1 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 50 };
	struct ftms_cp_request p2 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 60 };

	cp_queue_init(&q, &transport, &f, 2000, 2, CP_RESISTANCE_UNKNOWN);
	cp_queue_online(&q);
	assert_int_equal(cp_queue_submit(&q, &p1), 0);
	EXPECT_WRITE(&f, 0, 0x00);
	cp_queue_write_done(&q, 0);
	fire(&q, &f);
	/* Request Control counts as granted, without retries; the target goes out. */
	assert_int_equal(f.quirks[CP_QUIRK_NO_INDICATE], 1);
	assert_int_equal(f.results[0].outcome, FTMS_CP_SUCCESS);
	assert_true(f.results[0].final);
	assert_true(cp_queue_has_control(&q));
	EXPECT_WRITE(&f, 1, 0x05, 0x32, 0x00);
	assert_false(f.armed); /* no second wait */
	cp_queue_write_done(&q, 0);
	assert_int_equal(f.results[1].outcome, FTMS_CP_SUCCESS);
	assert_int_equal(cp_queue_submit(&q, &p2), 0);
	EXPECT_WRITE(&f, 2, 0x05, 0x3C, 0x00);
	/* A failed write is still a failure, retried. */
	cp_queue_write_done(&q, -EIO);
	assert_int_equal(f.results[2].outcome, -EIO);
	assert_false(f.results[2].final);
	cp_queue_write_done(&q, 0);
	assert_int_equal(f.n_writes, 4);
	assert_int_equal(f.results[f.n_results - 1].outcome, FTMS_CP_SUCCESS);
	assert_int_equal(f.quirks[CP_QUIRK_NO_INDICATE], 1);
	/* A new link (maybe another machine) is given its one wait again. */
	cp_queue_offline(&q);
	cp_queue_online(&q);
	EXPECT_WRITE(&f, 4, 0x00);
	assert_true(f.armed);
	cp_queue_write_done(&q, 0);
	fire(&q, &f);
	assert_int_equal(f.quirks[CP_QUIRK_NO_INDICATE], 2);
	assert_true(cp_queue_has_control(&q));
	/* A machine that did answer once and then stops is a timeout, as before. */
	start(&q, &f, 0);
	assert_int_equal(cp_queue_submit(&q, &p1), 0);
	cp_queue_write_done(&q, 0);
	fire(&q, &f);
	assert_int_equal(f.results[1].outcome, -ETIMEDOUT);
	assert_int_equal(f.quirks[CP_QUIRK_NO_INDICATE], 0);
}

/*
 * Responses that name another request (backride-sim --quirk cp-wrong-opcode): with one
 * request in flight and its write done, the response is its answer; said once.
 */
static void test_wrong_opcode(void **state)
{
	struct cp_queue q;
	struct fake f;
	struct ftms_cp_request p1 = { .op = FTMS_CP_SET_TARGET_POWER, .param.power = 50 };
	struct ftms_cp_request r1 = { .op = FTMS_CP_SET_TARGET_RESISTANCE,
				      .param.resistance.level = 40 };

	start(&q, &f, 1);
	assert_int_equal(cp_queue_submit(&q, &p1), 0);
	/* Before the write completed it may be a late answer to something else. */
	assert_int_equal(cp_queue_indication(&q, BYTES3(0x80, 0x00, 0x01)), -ESRCH);
	cp_queue_write_done(&q, 0);
	respond(&q, 0x00, FTMS_CP_SUCCESS);
	assert_int_equal(f.results[1].req.op, FTMS_CP_SET_TARGET_POWER);
	assert_int_equal(f.results[1].outcome, FTMS_CP_SUCCESS);
	assert_int_equal(f.quirks[CP_QUIRK_WRONG_OPCODE], 1);
	assert_int_equal(cp_queue_submit(&q, &r1), 0);
	cp_queue_write_done(&q, 0);
	respond(&q, 0x05, FTMS_CP_INVALID_PARAMETER); /* the uint8 form refused: sint16 next */
	assert_false(f.results[2].final);
	EXPECT_WRITE(&f, 3, 0x04, 0x28, 0x00);
	cp_queue_write_done(&q, 0);
	respond(&q, 0x04, FTMS_CP_SUCCESS);
	assert_int_equal(f.form, CP_RESISTANCE_SINT16);
	assert_int_equal(f.quirks[CP_QUIRK_WRONG_OPCODE], 1);
	/* Nothing in flight: a response is nobody's. */
	assert_int_equal(cp_queue_indication(&q, BYTES3(0x80, 0x05, 0x01)), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_status_echo_or_console),
		cmocka_unit_test(test_echo_after_next_request),
		cmocka_unit_test(test_echoes_lag_behind_writes),
		cmocka_unit_test(test_offline_refuses),
		cmocka_unit_test(test_power_then_duplicate_skipped),
		cmocka_unit_test(test_request_control_resends_target),
		cmocka_unit_test(test_back_to_accepted_while_in_flight),
		cmocka_unit_test(test_one_in_flight_and_coalesce),
		cmocka_unit_test(test_request_control_first),
		cmocka_unit_test(test_not_permitted_requests_control_again),
		cmocka_unit_test(test_timeout_retries_then_fails),
		cmocka_unit_test(test_other_results_are_final),
		cmocka_unit_test(test_resistance_falls_back_to_sint16),
		cmocka_unit_test(test_resistance_uint8_learned),
		cmocka_unit_test(test_control_lost_and_reset),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_control_lost_while_requesting),
		cmocka_unit_test(test_malformed_and_offline),
		cmocka_unit_test(test_write_failure_retried),
		cmocka_unit_test(test_never_indicates),
		cmocka_unit_test(test_wrong_opcode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
