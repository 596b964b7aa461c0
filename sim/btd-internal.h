/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "btd.h"
#include "periph.h"

#define BTD_SERVICE		"org.bluez"
#define BTD_ROOT		"/org/bluez"
#define BTD_ADAPTER_PATH	"/org/bluez/hci0"
#define BTD_ADAPTER_IFACE	"org.bluez.Adapter1"
#define BTD_DEVICE_IFACE	"org.bluez.Device1"
#define BTD_SERVICE_IFACE	"org.bluez.GattService1"
#define BTD_CHAR_IFACE		"org.bluez.GattCharacteristic1"
#define BTD_DESC_IFACE		"org.bluez.GattDescriptor1"
#define BTD_AGENT_MANAGER_IFACE "org.bluez.AgentManager1"
#define BTD_AGENT_IFACE		"org.bluez.Agent1"
#define BTD_PROPS_IFACE		"org.freedesktop.DBus.Properties"

#define BTD_ERR		       "org.bluez.Error."
#define BTD_ERR_FAILED	       BTD_ERR "Failed"
#define BTD_ERR_IN_PROGRESS    BTD_ERR "InProgress"
#define BTD_ERR_NOT_READY      BTD_ERR "NotReady"
#define BTD_ERR_INVALID_ARGS   BTD_ERR "InvalidArguments"
#define BTD_ERR_NOT_SUPPORTED  BTD_ERR "NotSupported"
#define BTD_ERR_NOT_PERMITTED  BTD_ERR "NotPermitted"
#define BTD_ERR_NOT_AUTHORIZED BTD_ERR "NotAuthorized"
#define BTD_ERR_ALREADY_EXISTS BTD_ERR "AlreadyExists"
#define BTD_ERR_DOES_NOT_EXIST BTD_ERR "DoesNotExist"
#define BTD_ERR_AUTH_CANCELED  BTD_ERR "AuthenticationCanceled"
#define BTD_ERR_AUTH_REJECTED  BTD_ERR "AuthenticationRejected"

/* Messages of bluez/src/error.c (5.66). */
#define BTD_MSG_INVALID_ARGS   "Invalid arguments in method call"
#define BTD_MSG_BUSY	       "Operation already in progress"
#define BTD_MSG_IN_PROGRESS    "In Progress"
#define BTD_MSG_NOT_READY      "Resource Not Ready"
#define BTD_MSG_NOT_SUPPORTED  "Operation is not supported"
#define BTD_MSG_ALREADY_EXISTS "Already Exists"
#define BTD_MSG_DOES_NOT_EXIST "Does Not Exist"

#define BTD_MAX_SESSIONS 8
#define BTD_MAX_READS	 8
#define BTD_OWNER_MAX	 64

struct btd_device;

struct btd_session {
	char owner[BTD_OWNER_MAX];
	bool registered;	 /* the CCCD write for it has completed */
	sd_bus_message *pending; /* StartNotify waiting for the CCCD write */
};

struct btd_char {
	struct btd_device *dev;
	struct periph_char *pc;
	char path[96];
	const char *svc_path;
	sd_bus_slot *slot;
	sd_bus_slot *notify_slot; /* Notifying (+ NotifyAcquired): chars that notify/indicate */
	sd_bus_slot *mtu_slot;	  /* MTU: only while connected */
	sd_bus_slot *desc_slot;	  /* the CCCD as GattDescriptor1 */
	char desc_path[112];
	uint8_t value[512];
	size_t value_len;
	struct btd_session sessions[BTD_MAX_SESSIONS];
	size_t n_sessions;
	sd_bus_message *write_msg;
	struct later *write_later;
	int write_ecode;
	sd_bus_message *reads[BTD_MAX_READS];
	uint16_t read_offset; /* reads in flight share one offset (others get InProgress) */
	size_t n_reads;
	struct later *read_later;
	struct later *cccd_later;
};

struct btd_service {
	char path[80];
	struct periph_service *ps;
	const char *dev_path;
	sd_bus_slot *slot;
	struct btd_char chars[PERIPH_MAX_CHARS];
	size_t n_chars;
};

struct btd_device {
	struct btd_device *next;
	struct btd *b;
	struct periph *periph;
	char path[64];
	sd_bus_slot *slot;
	sd_bus_slot *rssi_slot;
	sd_bus_slot *sd_slot;  /* ServiceData */
	sd_bus_slot *mfr_slot; /* ManufacturerData, once an advert carried some */
	uint16_t mfr_company;
	uint8_t mfr[31];
	size_t mfr_len;
	int16_t rssi;
	bool temporary;
	bool connected;
	bool services_resolved;
	bool paired;
	bool bonded;
	int trusted;
	int blocked;
	char alias[64];
	struct later *temp_later;
	sd_bus_message *connect_msg;
	struct later *connect_later;
	struct later *resolve_later;
	sd_bus_message *disconnect_msgs[4];
	size_t n_disconnect;
	sd_bus_message *remove_msg; /* RemoveDevice waiting for the link to drop */
	struct later *disconnect_later;
	sd_bus_message *pair_msg;
	struct later *pair_later;
	sd_bus_slot *agent_call;
	bool gatt_exported;
	struct btd_service services[PERIPH_MAX_SERVICES];
	size_t n_services;
};

struct btd_disc_client {
	struct btd_disc_client *next;
	char owner[BTD_OWNER_MAX];
	bool discovering;
	bool has_filter;
	char uuids[8][40];
	size_t n_uuids;
	bool has_rssi;
	int16_t rssi;
	bool has_pathloss;
	bool bredr_only;
	bool duplicate; /* DuplicateData: every advert's data is a PropertiesChanged */
	char pattern[64];
};

struct btd_agent {
	struct btd_agent *next;
	char owner[BTD_OWNER_MAX];
	char path[128];
	char capability[24];
	unsigned default_seq;
};

struct btd {
	struct sim *sim;
	sd_bus *bus;
	sd_bus_slot *om_slot;
	sd_bus_slot *agent_mgr_slot;
	sd_bus_slot *adapter_slot;
	sd_bus_slot *noc_slot;
	sd_bus_slot *name_slot;
	int powered;
	int pairable;
	int discoverable;
	char alias[64];
	bool discovering;
	struct later *scan_later;
	struct later *startup_later; /* the adapter appears, then powers on */
	struct btd_disc_client *clients;
	struct btd_device *devices;
	struct btd_agent *agents;
	unsigned default_seq;
};

/* btd.c */
/* The Bluetooth base UUID form of a 16-bit UUID, lower case as BlueZ prints it. */
void btd_uuid128(uint16_t uuid16, char buf[static 37]);
/* PropertiesChanged with prop in the invalidated list. Return: 0 or -errno. */
int btd_emit_invalidated(struct btd *b, const char *path, const char *iface, const char *prop);
/* Reply to *m (if any) with an error and drop it. Return: 0 or -errno. */
int btd_reply_error(sd_bus_message **m, const char *name, const char *text);
/* An ATT error as gatt-client.c reports it. Return: sd_bus_error_set()'s -errno. */
int btd_set_att_error(sd_bus_error *e, uint8_t ecode);
/* Write a non-temporary device to the store (Paired, Bonded, Trusted, Alias). */
void btd_store_device(struct btd_device *d);

/* btd-adapter.c */
/* Export Adapter1 at /org/bluez/hci0. Return: 0 or -errno. */
int btd_adapter_register(struct btd *b);
void btd_adapter_client_gone(struct btd *b, const char *owner);
void btd_adapter_free(struct btd *b);
void btd_adapter_power_off(struct btd *b);

/* btd-device.c */
/* Export a Device1 for p (InterfacesAdded): temporary (found by discovery) without @stored,
 * else with its stored state. Return: 0 and *ret, or -errno. */
struct store_entry;
int btd_device_new(struct btd *b, struct periph *p, const struct store_entry *stored,
		   struct btd_device **ret);
/* Return: the device, or NULL. */
struct btd_device *btd_device_find_path(struct btd *b, const char *path);
struct btd_device *btd_device_find_address(struct btd *b, const char *address);
/*
 * An advertising report: RSSI (appears if needed; a change smaller than delta is not
 * reported), temporary timer restarted.
 */
void btd_device_seen(struct btd_device *d, int16_t rssi, int delta);
/* Discovery stopped: RSSI is invalidated. */
void btd_device_lost_rssi(struct btd_device *d);

/* btd-mfr.c */
/* Set the device's ManufacturerData; PropertiesChanged when it changed or @duplicate. */
void btd_device_set_mfr(struct btd_device *d, uint16_t company, const uint8_t *data, size_t len,
			bool duplicate);
/* Drop the link and every object of d, then free it; emit = send the signals. */
void btd_device_remove(struct btd_device *d, bool emit);
void btd_device_set_paired(struct btd_device *d);
/* The adapter was powered off: links drop at once. */
void btd_device_power_off(struct btd_device *d);
/* Disconnect (after the DISCONNECT_TIMER), then remove the device and reply to m. */
int btd_device_remove_later(struct btd_device *d, sd_bus_message *m);

/* btd-gatt.c */
/* Export the GATT objects in handle order (InterfacesAdded each). Return: 0 or -errno. */
int btd_gatt_export(struct btd_device *d);
void btd_gatt_unexport(struct btd_device *d, bool emit);
void btd_gatt_connected(struct btd_device *d);
void btd_gatt_disconnected(struct btd_device *d);
/* Re-write CCCDs for surviving sessions (before ServicesResolved). */
void btd_gatt_rearm(struct btd_device *d);
void btd_gatt_client_gone(struct btd_device *d, const char *owner);
void btd_gatt_value(struct btd_device *d, const struct periph_char *pc, const uint8_t *v, size_t n);

/* btd-agent.c */
/* Export AgentManager1 at /org/bluez. Return: 0 or -errno. */
int btd_agent_register(struct btd *b);
void btd_agent_client_gone(struct btd *b, const char *owner);
void btd_agent_free_all(struct btd *b);
/* Return: the agent bluetoothd would ask (owner's, else the default), or NULL. */
struct btd_agent *btd_agent_get(struct btd *b, const char *owner);
