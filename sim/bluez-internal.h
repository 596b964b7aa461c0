/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "bluez.h"
#include "periph.h"

#define BZ_SERVICE	       "org.bluez"
#define BZ_ROOT		       "/org/bluez"
#define BZ_ADAPTER_PATH	       "/org/bluez/hci0"
#define BZ_ADAPTER_IFACE       "org.bluez.Adapter1"
#define BZ_DEVICE_IFACE	       "org.bluez.Device1"
#define BZ_SERVICE_IFACE       "org.bluez.GattService1"
#define BZ_CHAR_IFACE	       "org.bluez.GattCharacteristic1"
#define BZ_DESC_IFACE	       "org.bluez.GattDescriptor1"
#define BZ_AGENT_MANAGER_IFACE "org.bluez.AgentManager1"
#define BZ_AGENT_IFACE	       "org.bluez.Agent1"
#define BZ_PROPS_IFACE	       "org.freedesktop.DBus.Properties"

#define BZ_ERR		      "org.bluez.Error."
#define BZ_ERR_FAILED	      BZ_ERR "Failed"
#define BZ_ERR_IN_PROGRESS    BZ_ERR "InProgress"
#define BZ_ERR_NOT_READY      BZ_ERR "NotReady"
#define BZ_ERR_INVALID_ARGS   BZ_ERR "InvalidArguments"
#define BZ_ERR_NOT_SUPPORTED  BZ_ERR "NotSupported"
#define BZ_ERR_NOT_PERMITTED  BZ_ERR "NotPermitted"
#define BZ_ERR_NOT_AUTHORIZED BZ_ERR "NotAuthorized"
#define BZ_ERR_ALREADY_EXISTS BZ_ERR "AlreadyExists"
#define BZ_ERR_DOES_NOT_EXIST BZ_ERR "DoesNotExist"
#define BZ_ERR_AUTH_CANCELED  BZ_ERR "AuthenticationCanceled"
#define BZ_ERR_AUTH_REJECTED  BZ_ERR "AuthenticationRejected"

/* Messages of bluez/src/error.c (5.66). */
#define BZ_MSG_INVALID_ARGS   "Invalid arguments in method call"
#define BZ_MSG_BUSY	      "Operation already in progress"
#define BZ_MSG_IN_PROGRESS    "In Progress"
#define BZ_MSG_NOT_READY      "Resource Not Ready"
#define BZ_MSG_NOT_SUPPORTED  "Operation is not supported"
#define BZ_MSG_ALREADY_EXISTS "Already Exists"
#define BZ_MSG_DOES_NOT_EXIST "Does Not Exist"

#define BZ_MAX_SESSIONS 8
#define BZ_MAX_READS	8
#define BZ_OWNER_MAX	64

struct bz_device;

struct bz_session {
	char owner[BZ_OWNER_MAX];
	bool registered;	 /* the CCCD write for it has completed */
	sd_bus_message *pending; /* StartNotify waiting for the CCCD write */
};

struct bz_char {
	struct bz_device *dev;
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
	struct bz_session sessions[BZ_MAX_SESSIONS];
	size_t n_sessions;
	sd_bus_message *write_msg;
	struct later *write_later;
	int write_ecode;
	sd_bus_message *reads[BZ_MAX_READS];
	uint16_t read_offset; /* reads in flight share one offset (others get InProgress) */
	size_t n_reads;
	struct later *read_later;
	struct later *cccd_later;
};

struct bz_service {
	char path[80];
	struct periph_service *ps;
	const char *dev_path;
	sd_bus_slot *slot;
	struct bz_char chars[PERIPH_MAX_CHARS];
	size_t n_chars;
};

struct bz_device {
	struct bz_device *next;
	struct bluez *b;
	struct periph *periph;
	char path[64];
	sd_bus_slot *slot;
	sd_bus_slot *rssi_slot;
	sd_bus_slot *sd_slot; /* ServiceData */
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
	struct bz_service services[PERIPH_MAX_SERVICES];
	size_t n_services;
};

struct bz_disc_client {
	struct bz_disc_client *next;
	char owner[BZ_OWNER_MAX];
	bool discovering;
	bool has_filter;
	char uuids[8][40];
	size_t n_uuids;
	bool has_rssi;
	int16_t rssi;
	bool has_pathloss;
	bool bredr_only;
	char pattern[64];
};

struct bz_agent {
	struct bz_agent *next;
	char owner[BZ_OWNER_MAX];
	char path[128];
	char capability[24];
	unsigned default_seq;
};

struct bluez {
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
	struct bz_disc_client *clients;
	struct bz_device *devices;
	struct bz_agent *agents;
	unsigned default_seq;
};

/* bluez.c */
/* The Bluetooth base UUID form of a 16-bit UUID, lower case as BlueZ prints it. */
void bz_uuid128(uint16_t uuid16, char buf[static 37]);
/* PropertiesChanged with prop in the invalidated list. Return: 0 or -errno. */
int bz_emit_invalidated(struct bluez *b, const char *path, const char *iface, const char *prop);
/* Reply to *m (if any) with an error and drop it. Return: 0 or -errno. */
int bz_reply_error(sd_bus_message **m, const char *name, const char *text);
/* An ATT error as gatt-client.c reports it. Return: sd_bus_error_set()'s -errno. */
int bz_set_att_error(sd_bus_error *e, uint8_t ecode);
/* Write a non-temporary device to the store (Paired, Bonded, Trusted, Alias). */
void bz_store_device(struct bz_device *d);

/* bluez-adapter.c */
/* Export Adapter1 at /org/bluez/hci0. Return: 0 or -errno. */
int bz_adapter_register(struct bluez *b);
void bz_adapter_client_gone(struct bluez *b, const char *owner);
void bz_adapter_free(struct bluez *b);
void bz_adapter_power_off(struct bluez *b);

/* bluez-device.c */
/* Export a Device1 for p (InterfacesAdded): temporary (found by discovery) without @stored,
 * else with its stored state. Return: 0 and *ret, or -errno. */
struct store_entry;
int bz_device_new(struct bluez *b, struct periph *p, const struct store_entry *stored,
		  struct bz_device **ret);
/* Return: the device, or NULL. */
struct bz_device *bz_device_find_path(struct bluez *b, const char *path);
struct bz_device *bz_device_find_address(struct bluez *b, const char *address);
/*
 * An advertising report: RSSI (appears if needed; a change smaller than delta is not
 * reported), temporary timer restarted.
 */
void bz_device_seen(struct bz_device *d, int16_t rssi, int delta);
/* Discovery stopped: RSSI is invalidated. */
void bz_device_lost_rssi(struct bz_device *d);
/* Drop the link and every object of d, then free it; emit = send the signals. */
void bz_device_remove(struct bz_device *d, bool emit);
void bz_device_set_paired(struct bz_device *d);
/* The adapter was powered off: links drop at once. */
void bz_device_power_off(struct bz_device *d);
/* Disconnect (after the DISCONNECT_TIMER), then remove the device and reply to m. */
int bz_device_remove_later(struct bz_device *d, sd_bus_message *m);

/* bluez-gatt.c */
/* Export the GATT objects in handle order (InterfacesAdded each). Return: 0 or -errno. */
int bz_gatt_export(struct bz_device *d);
void bz_gatt_unexport(struct bz_device *d, bool emit);
void bz_gatt_connected(struct bz_device *d);
void bz_gatt_disconnected(struct bz_device *d);
/* Re-write CCCDs for surviving sessions (before ServicesResolved). */
void bz_gatt_rearm(struct bz_device *d);
void bz_gatt_client_gone(struct bz_device *d, const char *owner);
void bz_gatt_value(struct bz_device *d, const struct periph_char *pc, const uint8_t *v, size_t n);

/* bluez-agent.c */
/* Export AgentManager1 at /org/bluez. Return: 0 or -errno. */
int bz_agent_register(struct bluez *b);
void bz_agent_client_gone(struct bluez *b, const char *owner);
void bz_agent_free_all(struct bluez *b);
/* Return: the agent bluetoothd would ask (owner's, else the default), or NULL. */
struct bz_agent *bz_agent_get(struct bluez *b, const char *owner);
