/* words.c: the engine's vocabularies as words: statuses, kinds, classes, types, actions, ... */
#include "bounce/catalog.h"

#include <stdio.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const status_msgs[] = {
#define CAT_STATUS_MSG(id, msg) [id] = msg,
	CAT_STATUS_LIST(CAT_STATUS_MSG)
#undef CAT_STATUS_MSG
};

static const char *const kind_names[] = {
#define CAT_KIND_NAME(id, name) [id] = name,
	CAT_KIND_LIST(CAT_KIND_NAME)
#undef CAT_KIND_NAME
};

const char *
cat_status_str(enum cat_status st)
{
	if ((size_t)st >= sizeof(status_msgs) / sizeof(status_msgs[0]))
		return "unknown status";
	return status_msgs[st];
}

const char *
cat_kind_name(enum cat_kind kind)
{
	if ((size_t)kind >= CAT_KIND_COUNT)
		return "";
	return kind_names[kind];
}

static const struct {
	int digit;
	const char *name;
	const char *severity;
} class_words[] = {
#define CAT_CLASS_ROW(id, digit, name, severity) [id] = { digit, name, severity },
	CAT_CLASS_LIST(CAT_CLASS_ROW)
#undef CAT_CLASS_ROW
};

static const char *const type_words[] = {
#define CAT_TYPE_ROW(id, name) [id] = name,
	CAT_TYPE_LIST(CAT_TYPE_ROW)
#undef CAT_TYPE_ROW
};

static const struct {
	const char *name;
	int exit;
} action_words[] = {
#define CAT_ACTION_ROW(id, name, exit) [id] = { name, exit },
	CAT_ACTION_LIST(CAT_ACTION_ROW)
#undef CAT_ACTION_ROW
};

static const char *const group_words[] = {
#define CAT_GROUP_ROW(id, name) [id] = name,
	CAT_GROUP_LIST(CAT_GROUP_ROW)
#undef CAT_GROUP_ROW
};

static const char *const confidence_words[] = {
#define CAT_CONFIDENCE_ROW(id, name) [id] = name,
	CAT_CONFIDENCE_LIST(CAT_CONFIDENCE_ROW)
#undef CAT_CONFIDENCE_ROW
};

static const char *const event_words[] = {
#define CAT_EVENT_ROW(id, name) [id] = name,
	CAT_EVENT_LIST(CAT_EVENT_ROW)
#undef CAT_EVENT_ROW
};

static const char *const stage_words[] = {
#define CAT_STAGE_ROW(id, name) [id] = name,
	CAT_STAGE_LIST(CAT_STAGE_ROW)
#undef CAT_STAGE_ROW
};

static const char *const extra_labels[] = {
#define CAT_EXTRA_ROW(id, label) [id] = label,
	CAT_EXTRA_LIST(CAT_EXTRA_ROW)
#undef CAT_EXTRA_ROW
};

const char *
cat_class_name(enum cat_class c)
{
	return (size_t)c < N_OF(class_words) ? class_words[c].name : NULL;
}

const char *
cat_class_severity(enum cat_class c)
{
	return (size_t)c < N_OF(class_words) ? class_words[c].severity : NULL;
}

int
cat_class_digit(enum cat_class c)
{
	return (size_t)c < N_OF(class_words) ? class_words[c].digit : 0;
}

enum cat_class
cat_class_of_digit(int digit)
{
	size_t i;

	for (i = 1; i < N_OF(class_words); i++)
		if (class_words[i].digit == digit)
			return (enum cat_class)i;
	return CAT_CLASS_NONE;
}

const char *
cat_type_name(enum cat_type t)
{
	return (size_t)t < N_OF(type_words) ? type_words[t] : NULL;
}

const char *
cat_action_name(enum cat_action a)
{
	return (size_t)a < N_OF(action_words) ? action_words[a].name : NULL;
}

int
cat_action_exit(enum cat_action a)
{
	return (size_t)a < N_OF(action_words) ? action_words[a].exit
					      : action_words[CAT_ACTION_UNSET].exit;
}

const char *
cat_confidence_name(enum cat_confidence c)
{
	return (size_t)c < N_OF(confidence_words) ? confidence_words[c] : NULL;
}

const char *
cat_event_name(enum cat_event e)
{
	return (size_t)e < N_OF(event_words) ? event_words[e] : NULL;
}

const char *
cat_stage_name(enum cat_stage s)
{
	return (size_t)s < N_OF(stage_words) ? stage_words[s] : NULL;
}

enum cat_type
cat_type_of_name(const char *name)
{
	size_t i;

	for (i = 1; name && i < N_OF(type_words); i++)
		if (strcmp(type_words[i], name) == 0)
			return (enum cat_type)i;
	return CAT_TYPE_NONE;
}

enum cat_action
cat_action_of_name(const char *name)
{
	size_t i;

	for (i = 1; name && i < N_OF(action_words); i++)
		if (strcmp(action_words[i].name, name) == 0)
			return (enum cat_action)i;
	return CAT_ACTION_UNSET;
}

const char *
cat_extra_label(enum cat_extra x)
{
	return (size_t)x < N_OF(extra_labels) ? extra_labels[x] : NULL;
}

const char *
cat_note_label(const struct cat_note *n, char *buf, size_t size)
{
	const char *p = n->param ? n->param : "";

	if (!buf || size == 0)
		return buf;
	switch (n->kind) {
	case CAT_NOTE_AS_CLASS:
		/* X.1.1 seen in class 4 is 4.1.1 */
		snprintf(buf, size, "As %d%s", n->num, p[0] ? p + 1 : ".x.x");
		break;
	case CAT_NOTE_ALSO:
		snprintf(buf, size, "Also (%s)", p);
		break;
	case CAT_NOTE_ALIASES:
		snprintf(buf, size, "Also known as");
		break;
	case CAT_NOTE_DOMAINS:
		snprintf(buf, size, "Domains");
		break;
	case CAT_NOTE_MARKERS:
		snprintf(buf, size, "Recognised by");
		break;
	case CAT_NOTE_TAG_FAMILY:
		snprintf(buf, size, "%s codes", p);
		break;
	case CAT_NOTE_FLAG:
		snprintf(buf, size, "digit %d", n->num);
		break;
	case CAT_NOTE_PRINTED:
		snprintf(buf, size, "Printed as");
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

const char *
cat_group_name(enum cat_group g)
{
	return (size_t)g < N_OF(group_words) ? group_words[g] : NULL;
}

enum cat_event
cat_event_of_name(const char *name)
{
	size_t i;

	for (i = 1; name && i < N_OF(event_words); i++)
		if (strcmp(event_words[i], name) == 0)
			return (enum cat_event)i;
	return CAT_EVENT_NONE;
}

enum cat_group
cat_group_of_name(const char *name)
{
	size_t i;

	for (i = 1; name && i < N_OF(group_words); i++)
		if (strcmp(group_words[i], name) == 0)
			return (enum cat_group)i;
	return CAT_GROUP_UNSET;
}
