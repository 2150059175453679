#include "core/boot_archive.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"

struct boot_archive boot_archive_booted;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *entry(const struct boot_archive *a, uint32_t i)
{
	return a->base + BOOT_ARCHIVE_HEADER + i * BOOT_ARCHIVE_ENTRY;
}

static void fill(const struct boot_archive *a, uint32_t i, struct boot_file *out)
{
	const uint8_t *e = entry(a, i);
	out->name = (const char *)e;
	out->data = a->base + le32(e + BOOT_ARCHIVE_NAME_MAX);
	out->size = le32(e + BOOT_ARCHIVE_NAME_MAX + 4);
}

int boot_archive_open(struct boot_archive *a, const void *base, uint32_t avail, char *err, size_t errlen)
{
	const uint8_t *b = base;
	a->base = b;
	a->size = a->count = 0;
	if (!b || avail < BOOT_ARCHIVE_HEADER) {
		snprintf(err, errlen, "%u bytes: too short for the header", avail);
		return E_INVALID;
	}
	if (le32(b) != BOOT_ARCHIVE_MAGIC) {
		snprintf(err, errlen, "bad magic 0x%08x (want \"WBAR\")", le32(b));
		return E_INVALID;
	}
	if (le32(b + 4) != BOOT_ARCHIVE_VERSION) {
		snprintf(err, errlen, "version %u (this kernel reads version %u)", le32(b + 4), BOOT_ARCHIVE_VERSION);
		return E_INVALID;
	}
	uint32_t count = le32(b + 8), size = le32(b + 12);
	if (size > avail || size < BOOT_ARCHIVE_HEADER) {
		snprintf(err, errlen, "archive size %u does not fit the %u bytes loaded", size, avail);
		return E_INVALID;
	}
	if (count > BOOT_ARCHIVE_MAX_FILES || count > (size - BOOT_ARCHIVE_HEADER) / BOOT_ARCHIVE_ENTRY) {
		snprintf(err, errlen, "file table of %u entries does not fit", count);
		return E_INVALID;
	}
	uint32_t table_end = BOOT_ARCHIVE_HEADER + count * BOOT_ARCHIVE_ENTRY;
	a->size = size;
	a->count = count;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = entry(a, i);
		uint32_t nl = (uint32_t)strnlen((const char *)e, BOOT_ARCHIVE_NAME_MAX);
		uint32_t off = le32(e + BOOT_ARCHIVE_NAME_MAX), len = le32(e + BOOT_ARCHIVE_NAME_MAX + 4);
		const char *why = NULL;
		if (nl == 0 || nl == BOOT_ARCHIVE_NAME_MAX)
			why = "name empty or not terminated";
		else if (off & 3)
			why = "data not 4-byte aligned";
		else if (off < table_end || off > size || len > size - off)
			why = "data outside the archive";
		for (uint32_t j = 0; j < i && !why; j++)
			if (strncmp((const char *)e, (const char *)entry(a, j), BOOT_ARCHIVE_NAME_MAX) == 0)
				why = "duplicate name";
		if (why) {
			a->count = 0;
			snprintf(err, errlen, "entry %u (offset %u, size %u): %s", i, off, len, why);
			return E_INVALID;
		}
	}
	return 0;
}

int boot_archive_file(const struct boot_archive *a, uint32_t i, struct boot_file *out)
{
	if (i >= a->count)
		return E_NOT_FOUND;
	fill(a, i, out);
	return 0;
}

int boot_archive_find(const struct boot_archive *a, const char *name, struct boot_file *out)
{
	for (uint32_t i = 0; i < a->count; i++)
		if (strncmp(name, (const char *)entry(a, i), BOOT_ARCHIVE_NAME_MAX) == 0) {
			fill(a, i, out);
			return 0;
		}
	return E_NOT_FOUND;
}
