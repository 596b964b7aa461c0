/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared between the files of the BlueZ client; nothing outside daemon/bluez includes it. */

#include "bluez.h"
#include "cp.h"
#include "csc.h"
#include "macro.h"
#include "policy.h"
#include "walkingpad.h"

#define BZ_SERVICE	       "org.bluez"
#define BZ_ADAPTER_IFACE       "org.bluez.Adapter1"
#define BZ_DEVICE_IFACE	       "org.bluez.Device1"
#define BZ_SERVICE_IFACE       "org.bluez.GattService1"
#define BZ_CHAR_IFACE	       "org.bluez.GattCharacteristic1"
#define BZ_AGENT_MANAGER_IFACE "org.bluez.AgentManager1"
#define BZ_AGENT_IFACE	       "org.bluez.Agent1"
#define BZ_AGENT_PATH	       "/org/backride/agent"
#define BZ_PROPS_IFACE	       "org.freedesktop.DBus.Properties"
#define BZ_OM_IFACE	       "org.freedesktop.DBus.ObjectManager"

#define BZ_USEC_CALL		    (10 * USEC_PER_SEC)
#define BZ_USEC_CONNECT		    (40 * USEC_PER_SEC)
#define BZ_USEC_PAIR		    (60 * USEC_PER_SEC)
#define BZ_GRACE_MS		    1000 /* objects may follow ServicesResolved (bluez#1489) */
#define BZ_SEARCH_MS		    10000
#define BZ_ABORT_WAIT_MS	    2000 /* le-connection-abort-by-local: wait for Connected=false */
#define BZ_FIRST_TRIES		    3	 /* attempts before a first connect gives up */
#define BZ_DATA_MS		    4000 /* a driven machine silent this long is treated as lost */
#define BZ_RESISTANCE_WHOLE_RECORDS 3	 /* records that show a resistance range in whole levels */
#define BZ_COAST_MS		    3000 /* a sensor bike: no new revolution this long is 0 rpm */
#define BZ_SENSOR_SILENT_MS	    3000 /* a sensor bike silent this long reads as stopped */

/* KingSmith WalkingPad, legacy protocol (driver-walkingpad.c, common/ftms/walkingpad.h). */
#define BZ_UUID_PAD_SERVICE "0000fe00-0000-1000-8000-00805f9b34fb"
#define BZ_UUID_PAD_NOTIFY  "0000fe01-0000-1000-8000-00805f9b34fb"
#define BZ_UUID_PAD_WRITE   "0000fe02-0000-1000-8000-00805f9b34fb"
/* Commands no faster: ph4-walkingpad waits 0.69 s; the margin is for the radio, where a write
 * without response leaves when the link has room (README.md, "WalkingPad"). */
#define BZ_PAD_SPACING_MS  800
#define BZ_PAD_POLL_MS	   1000 /* status query, the keep-alive, when nothing else goes */
#define BZ_KEISER_DATA_MAX 31	/* an advertisement's payload at most */

enum bz_flag {
	BZ_F_READ = 1u << 0,
	BZ_F_WRITE = 1u << 1,
	BZ_F_NOTIFY = 1u << 2,
	BZ_F_INDICATE = 1u << 3,
};

struct bz_device {
	struct bz_device *next;
	struct bluez *b;
	char *path;
	sd_bus_slot *refresh; /* Properties.GetAll in flight (bz_device_refresh) */
	char address[MACHINE_ADDRESS_MAX];
	char *name;
	int16_t rssi;
	bool has_rssi;
	bool advertising; /* RSSI present: seen by the current discovery, maybe as 127 */
	int connected;
	bool disconnecting; /* we asked for Disconnect; BlueZ has not said Connected=false yet */
	int resolved;
	int paired;
	int trusted;
	bool uuids;		   /* advertises or has any service UUID */
	bool ftms;		   /* advertises or has the FTMS service */
	bool hr;		   /* advertises or has the Heart Rate service */
	bool cps;		   /* advertises or has the Cycling Power service */
	bool csc;		   /* advertises or has the Cycling Speed and Cadence service */
	enum machine_kind sd_kind; /* from FTMS Service Data */
	bool walkingpad;	   /* advertises 0xFE00 or a WalkingPad's name */
	/* A Keiser M3i (keiser.c): its last manufacturer data for company 0x0102, and a name
	 * with its equipment ID for the scan. */
	bool keiser;
	uint8_t keiser_data[BZ_KEISER_DATA_MAX];
	size_t keiser_len;
	char *keiser_label;
};

/* A GATT service or characteristic of the current generation of objects. */
struct bz_gatt {
	struct bz_gatt *next;
	char *path;
	char *parent; /* service: its device; characteristic: its service */
	char uuid[37];
	bool service;
	unsigned flags; /* enum bz_flag */
};

enum bz_chr {
	BZ_CHR_CP,
	BZ_CHR_DATA,
	BZ_CHR_STATUS,
	BZ_CHR_TRAINING,
	BZ_CHR_FEATURE,
	BZ_CHR_RANGE0, /* + enum ftms_range_kind */
	BZ_CHR_HRM = BZ_CHR_RANGE0 + _FTMS_RANGE_KIND_MAX,
	_BZ_CHR_MAX,
};

/* A WalkingPad link's state (driver-walkingpad.c): what is wanted, what the pad said. */
struct bz_pad {
	bool on;	    /* the link speaks the WalkingPad protocol (0xFE00 found) */
	bool online;	    /* ready: commands may go */
	sd_bus_slot *slot;  /* WriteValue in flight */
	uint64_t last_usec; /* when the last command was written */
	int mode;	    /* mode to set, -1 none */
	int speed;	    /* speed to set (0.1 km/h) once the belt runs, -1 none */
	int sent_speed;	    /* the last speed written, -1 none */
	bool start;	    /* start the belt (the session asked) */
	bool stop;	    /* stop the belt: speed 0 */
	bool started;	    /* backride started the belt: its countdown and run are ours */
	bool stopping;	    /* backride stopped the belt: its stop is not the user's */
	bool has_status;
	struct walkingpad_status status;
	struct walkingpad_drops drops;
	uint32_t dropped;      /* frames dropped on this link */
	uint32_t dropped_said; /* ... as last said in an event */
	bool said_drops;       /* the first drop is a fault event, once per link */
};

struct bz_link {
	struct bluez *b;
	enum link_role role;
	char address[MACHINE_ADDRESS_MAX];
	enum link_state state;
	uv_timer_t timer; /* backoff, resolve timeout, grace */
	unsigned backoff_ms;
	bool abort_wait; /* le-connection-abort-by-local: retry once Connected=false */
	bool grace_used;
	bool ever_ready;   /* ready once since bluez_link_start() */
	unsigned failures; /* attempts failed before the first ready */
	unsigned aborts;   /* le-connection-abort-by-local in a row */
	bool expect_data;  /* machine: being driven, so silence is link loss */
	bool carried_data; /* machine: valid data since the link was last ready */
	sd_bus_slot *slot; /* Connect, Disconnect or the GATT setup step in flight */
	driver_done_fn done;
	void *done_userdata;
	char *chr[_BZ_CHR_MAX]; /* characteristic paths of this generation */
	unsigned step;		/* GATT setup step */
	bool pair_tried;	/* setup: paired once because the machine asked */
	enum machine_kind kind;
	enum machine_kind data_kind;	/* from the data characteristic */
	enum machine_protocol protocol; /* of the service found (bz_gatt_find) */
	struct revs_rate crank;		/* sensor bikes: cumulative revolutions to rates */
	struct revs_rate wheel;
	unsigned crank_faults, wheel_faults;
	uv_timer_t sensor_timer;      /* sensor bikes: silence, then zeros every second */
	struct br_sample sensor_last; /* the last sample from the sensor's own data */
	bool sensor_silent;	      /* said as silent */
	bool said_sensor_used;	      /* the machine link: values from the sensor beside, said */
	struct ftms_features features;
	struct ftms_range ranges[_FTMS_RANGE_KIND_MAX];
	bool has_range[_FTMS_RANGE_KIND_MAX];
	struct cp_queue cp;
	uv_timer_t cp_timer;
	sd_bus_slot *cp_slot;
	struct ftms_ibd_merger ibd;
	struct ftms_treadmill_merger tm;
	bool said_unterminated;		/* the data records never end: said once per link */
	bool said_cadence_inverted;	/* the cadence flag is inverted: said once per link */
	bool resistance_whole;		/* its resistance range and targets are in whole levels */
	unsigned resistance_whole_seen; /* records in a row that showed it */
	int32_t hr_bpm;			/* strap: last value and when */
	uint64_t hr_usec;
	bool hr_silent; /* strap: reported as silent */
	struct bz_pad pad;
	uv_timer_t pad_timer; /* WalkingPad: command spacing and keep-alive */
	/* machine: a Keiser M3i, read from its advertisements (keiser.c) */
	bool keiser;
	bool keiser_has_id;
	uint8_t keiser_id; /* its equipment ID: the paired device's last advert, or the first frame
			    */
	char keiser_cur[MACHINE_ADDRESS_MAX]; /* the address its frames come from now */
	bool keiser_moved;		      /* said once: its frames came from another address */
	uint64_t keiser_usec;		      /* the last real-time frame */
	struct br_sample keiser_last;
	uint32_t keiser_dropped; /* malformed frames */
	uint32_t keiser_review;	 /* review frames, ignored */
	bool keiser_zeroed;	 /* silent: zeros reported */
};

struct bz_pair {
	char address[MACHINE_ADDRESS_MAX];
	sd_bus_slot *slot;
	driver_done_fn done;
	void *userdata;
	bool active;
};

struct bluez {
	uv_loop_t *loop;
	sd_bus *bus;
	struct bluez_config cfg;
	char *adapter_path;
	struct driver_callbacks cb;
	void *userdata;
	char *owner; /* unique name of org.bluez, NULL while it is gone */
	sd_bus_slot *match_slots[4];
	sd_bus_slot *owner_call;
	sd_bus_slot *gmo_call;
	bool have_objects;
	struct bz_device *devices;
	struct bz_gatt *gatt;
	bool adapter_present;
	int adapter_powered;
	/* The adapter state last logged and reported (bz_adapter_report) */
	bool reported_present;
	int reported_powered;
	bool reported_usable;
	/* adapter.c */
	uv_timer_t scan_timer;
	bool scan_user;	  /* a user asked for a scan */
	bool discovering; /* we asked BlueZ to discover */
	sd_bus_slot *scan_slot;
	sd_bus_slot *filter_slot;
	/* agent.c */
	sd_bus_slot *agent_object;
	sd_bus_slot *agent_call;
	/* device.c */
	struct bz_pair pair;
	struct bz_link links[3]; /* enum link_role */
	unsigned open_handles;
	bool freeing;
};

/* What a PropertiesChanged changed on a device. */
struct bz_device_change {
	bool connected;
	bool resolved;
	bool seen;   /* name, RSSI or advertising data */
	bool advert; /* manufacturer data (every advertisement with DuplicateData) */
};

/* model.c */
struct bz_device *bz_device_find(struct bluez *b, const char *address);
struct bz_device *bz_device_by_path(struct bluez *b, const char *path);
struct bz_gatt *bz_gatt_by_path(struct bluez *b, const char *path);
enum machine_kind bz_device_kind(const struct bz_device *d);
/* The device as the callbacks see it; strings borrowed from @d. */
void bz_device_info(const struct bz_device *d, struct device_info *ret);
void bz_model_clear(struct bluez *b);
/* Read one "oa{sa{sv}}" object into the model. Return: 0 or -errno. */
int bz_model_add_object(struct bluez *b, sd_bus_message *m, bool *gatt_added);
void bz_model_remove_gatt_under(struct bluez *b, const char *path);
void bz_model_remove_device(struct bluez *b, const char *path);
/* PropertiesChanged bodies after the interface name. Return: 0 or -errno. */
int bz_model_device_changed(struct bz_device *d, sd_bus_message *m, struct bz_device_change *ch);
/* Tell discovery and the links what changed on @d. */
void bz_device_changed(struct bluez *b, struct bz_device *d, const struct bz_device_change *ch);
/* Read all of @d's properties again (once at a time): for when BlueZ's signals and its
 * replies disagree. */
void bz_device_refresh(struct bluez *b, struct bz_device *d);
int bz_model_adapter_changed(struct bluez *b, sd_bus_message *m);
int bz_model_char_value(struct bluez *b, const char *path, sd_bus_message *m);

/* bluez.c */
/* Check that a successful reply comes from the current owner of org.bluez. */
bool bz_reply_current(struct bluez *b, sd_bus_message *reply);
/* A bluez error reply as -errno and a short text. */
int bz_reply_error(sd_bus_message *reply, const char **ret_text);
void bz_event(struct bluez *b, enum driver_event_type type, const char *fmt, ...) _printf_(3, 4);
/* As bz_event(), for an echo of what was asked (struct driver_event). */
void bz_event_echo(struct bluez *b, enum driver_event_type type, const char *fmt, ...)
	_printf_(3, 4);
int bz_call(struct bluez *b, sd_bus_slot **slot, const char *path, const char *iface,
	    const char *member, sd_bus_message_handler_t cb, void *userdata, uint64_t usec,
	    const char *types, ...);

/* adapter.c */
void bz_adapter_appeared(struct bluez *b);
/* Log and report a change of the adapter's presence, power or usability. */
void bz_adapter_report(struct bluez *b);
void bz_adapter_vanished(struct bluez *b);
void bz_adapter_device_changed(struct bluez *b, struct bz_device *d);
/* Discovery for a link that waits for its device to show up. */
void bz_adapter_update_discovery(struct bluez *b);
void bz_adapter_close(struct bluez *b);

/* agent.c */
int bz_agent_export(struct bluez *b);
void bz_agent_register(struct bluez *b);
void bz_agent_close(struct bluez *b);

/* device.c */
void bz_links_init(struct bluez *b);
void bz_links_device_changed(struct bluez *b, struct bz_device *d, bool resolved_changed);
void bz_links_device_removed(struct bluez *b, struct bz_device *d);
void bz_links_gatt_added(struct bluez *b);
void bz_links_gatt_removed(struct bluez *b, const char *path);
void bz_links_bluez_gone(struct bluez *b);
void bz_links_bluez_back(struct bluez *b);
void bz_links_close(struct bluez *b);
bool bz_link_wants_discovery(struct bluez *b);
void bz_pair_cancel(struct bluez *b, int error, const char *message);
void bz_link_setup_done(struct bz_link *l, int error, const char *text);
/* Valid data (a machine sample, a heart rate) came on a ready link: a lost link that carried
 * data is asked for again at once, and the machine's data watchdog starts again. */
void bz_link_data_seen(struct bz_link *l);
/* For the links that are not connections (keiser.c): the state, the link's timer (its expiry
 * in READY calls bz_keiser_timer()), and a lost link (reconnected as usual). */
void bz_link_set_state(struct bz_link *l, enum link_state st);
void bz_link_arm(struct bz_link *l, unsigned ms);
void bz_link_lost(struct bz_link *l, const char *why);

/* gatt.c */
/* Tell the layers above what the machine is (again, after a correction). */
void bz_gatt_report_ready(struct bz_link *l);
void bz_gatt_setup_start(struct bz_link *l);
void bz_gatt_value(struct bluez *b, const char *path, const uint8_t *buf, size_t len);
/* Write @buf to the link's command characteristic (the FTMS control point, the WalkingPad's
 * 0xFE02): with response when @request, else as the characteristic allows. The call's slot in
 * *@slot (an earlier one is cancelled); @done gets the reply. Return: 0, -ENOTCONN, -errno. */
int bz_gatt_write(struct bz_link *l, const uint8_t *buf, size_t len, bool request,
		  sd_bus_slot **slot, sd_bus_message_handler_t done);
void bz_gatt_link_down(struct bz_link *l);
/* Hand a sample of the machine link upward (with the strap's heart rate, if fresh). */
void bz_gatt_emit_sample(struct bz_link *l, struct br_sample *s, int32_t machine_hr);
/* Map the characteristics of the link's service. Return: whether what the link needs is there
 * (the data, and the control point when @need_cp). */
bool bz_gatt_find(struct bz_link *l, bool need_cp);
void bz_gatt_init(struct bz_link *l);

/* sensor.c */
/* The protocol a device's services say: FTMS if it has that service, else a sensor's. */
enum machine_protocol bz_device_protocol(const struct bz_device *d);
/* Forget the counters (a new machine); @power_wheel: wheel times in 1/2048 s. */
void bz_sensor_reset(struct bz_link *l, bool power_wheel);
/* A sensor bike's measurement as a sample. Return: 0, -EBADMSG (malformed, nothing changes). */
int bz_sensor_data(struct bz_link *l, const uint8_t *buf, size_t len, struct br_sample *ret);
/* A sample from the sensor's data went up: silence is timed from now. */
void bz_sensor_seen(struct bz_link *l, const struct br_sample *s);
/* The link went down: no more zeros for it. */
void bz_sensor_stop(struct bz_link *l);
/* driver-walkingpad.c */
void bz_pad_init(struct bz_link *l);
/* The link is ready: manual mode, then the keep-alive. */
void bz_pad_online(struct bz_link *l);
void bz_pad_link_down(struct bz_link *l);
/* A notification on 0xFE01. Return: 0 a status (a sample went up), -EBADMSG dropped. */
int bz_pad_value(struct bz_link *l, const uint8_t *buf, size_t len);
/* What a WalkingPad tells of itself in machine_ready. */
void bz_pad_info(struct bz_link *l);
/* Return: whether the machine link is a WalkingPad's. */
bool bz_pad_machine(const struct bluez *b);
extern const struct machine_driver_ops bz_pad_ops;

/* keiser.c: the Keiser M3i link (no connection: its advertisements are its data). */
/* Read ManufacturerData (a{qv}) into @d. Return: 0 or -errno. */
int bz_keiser_read_mfr(struct bz_device *d, sd_bus_message *m);
/* Start or restart the link to a Keiser: discovery until its adverts come. */
void bz_keiser_attempt(struct bz_link *l);
/* A new advertisement of @d. */
void bz_keiser_advert(struct bluez *b, struct bz_device *d);
/* The link's timer while ready: silence. */
void bz_keiser_timer(struct bz_link *l);

/* quirks.c */
/* Say once per connection how the machine's data records differ from the specification. */
void bz_quirks_data(struct bz_link *l, bool unterminated, bool cadence_inverted);
/* A resistance range in whole levels, shown by a measured level: corrected and reported. */
void bz_quirks_resistance_units(struct bz_link *l, const struct ftms_indoor_bike_data *d);
/* The control point queue's struct cp_transport quirk callback. */
void bz_quirks_cp(void *userdata, enum cp_quirk quirk);
