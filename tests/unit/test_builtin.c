/*
 * test_builtin.c -- the shipped catalog answers what bounce(1) documents:
 * its EXAMPLES (5.1.1, TSS04, BL000101, gmail 5.7.30, search mailbox full,
 * list --provider yahoo, --json 550 5.7.26), 5.7.620 in Microsoft's
 * 5.7.606-649, the providers by their common names, the registry's counts,
 * and that every link in it resolves.  These are CONTENT checks over the
 * built-in catalog (cat_open + cat_ready): an edit of data/catalog.xml may
 * rightly change them, together with the manual.  How the engine answers
 * any catalog (query forms, ranges, tag decoding, ranking, filters, JSON,
 * export) is tested on fixtures by test_engine.c and test_mechanics.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bounce/catalog.h"
#include "check.h"
#include "check_result.h"

static struct catalog *cat;

/* ------------------------------------------------------------ lookup */

static const struct lookup_case lookups[] = {
	/* empty: nothing (how any query is parsed is test_engine.c's) */
	{ "", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	/* reply codes */
	{ "550", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "gmail.no_such_user",
	  CAT_MATCH_PROVIDER, NULL, NULL, 550, 10 },
	{ "421", CAT_OK, "421", CAT_MATCH_GENERIC, "421", "soft", NULL, ANY, NULL, NULL, 421, 1 },
	/* bounce 5.1.1: the registry meaning first, the provider entries after it */
	{ "5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", "gmail.no_such_user",
	  CAT_MATCH_PROVIDER, "550 5.1.1", NULL, 0, 3 },
	{ "5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", "apple.user_unknown",
	  CAT_MATCH_PROVIDER, NULL, NULL, 0, 3 },
	/* bounce(1): 5.7.620 finds Microsoft's 5.7.606-649 */
	{ "5.7.620", CAT_OK, "X.7", CAT_MATCH_GENERIC, NULL, NULL, "microsoft.banned_sending_ip",
	  CAT_MATCH_PROVIDER, "550 5.7.606-649", "microsoft", 0, 1 },
	{ "5.7.606", CAT_OK, NULL, CAT_MATCH_GENERIC, NULL, NULL, "microsoft.banned_sending_ip",
	  CAT_MATCH_PROVIDER, NULL, NULL, 0, 1 },
	{ "5.7.649", CAT_OK, NULL, CAT_MATCH_GENERIC, NULL, NULL, "microsoft.banned_sending_ip",
	  CAT_MATCH_PROVIDER, NULL, NULL, 0, 1 },
	/* bounce --json 550 5.7.26 (the whole answer is checked in test_json) */
	{ "550 5.7.26", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "X.7.26",
	  CAT_MATCH_GENERIC, "5.7.26", NULL, 550, 1 },
	{ "550 5.7.26", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "gmail.unauthenticated",
	  CAT_MATCH_PROVIDER, NULL, NULL, 550, 1 },
	/* bounce TSS04: a Yahoo deferral */
	{ "421 4.7.0 [TSS04]", CAT_OK, "421", CAT_MATCH_GENERIC, "421", "soft", "yahoo.tss04",
	  CAT_MATCH_PROVIDER, NULL, NULL, 421, 1 },
	{ "TSS04", CAT_OK, "yahoo.tss04", CAT_MATCH_PROVIDER, "421 4.7.0 [TSS04]", "soft", NULL,
	  ANY, NULL, "yahoo", 0, 1 },
	/* a sending service's own codes are tags, as the service prints them:
	 * a number (Mailgun's 605, Postmark's API error 406 beside the reply
	 * code 406), a CamelCase word, an identifier with an underscore */
	{ "605", CAT_OK, "mailgun.previously_bounced", CAT_MATCH_PROVIDER, "[605]", NULL, NULL, ANY,
	  NULL, "mailgun", 0, 1 },
	{ "406", CAT_OK, NULL, ANY, NULL, NULL, "postmark.inactive_recipient", CAT_MATCH_PROVIDER,
	  "[406]", "postmark", 0, 1 },
	{ "OnAccountSuppressionList", CAT_OK, "ses.on_account_suppression_list", CAT_MATCH_PROVIDER,
	  "[OnAccountSuppressionList]", NULL, NULL, ANY, NULL, "ses", 0, 1 },
	{ "hard_bounce", CAT_OK, "brevo.hard_bounce", CAT_MATCH_PROVIDER, "[hard_bounce]", NULL,
	  NULL, ANY, NULL, "brevo", 0, 1 },
	{ "sparkpost 10", CAT_OK, NULL, ANY, NULL, NULL, "sparkpost.invalid_recipient",
	  CAT_MATCH_PROVIDER, "[10]", "sparkpost", 0, 1 },
	/* Apple's CS01 has two forms */
	{ "CS01", CAT_OK, NULL, CAT_MATCH_PROVIDER, NULL, NULL, "apple.cs01", CAT_MATCH_PROVIDER,
	  NULL, "apple", 0, 2 },
	{ "CS01", CAT_OK, NULL, CAT_MATCH_PROVIDER, NULL, NULL, "apple.cs01_550",
	  CAT_MATCH_PROVIDER, NULL, "apple", 0, 2 },
	/* Comcast's BL000001 has an entry of its own (BL000101 is decoded, below) */
	{ "BL000001", CAT_OK, "comcast.bl000001", CAT_MATCH_PROVIDER, NULL, "hard", NULL, ANY,
	  NULL, "comcast", 0, 1 },
	/* tags in capitals, with a colon or after a '#' (Cox, NetEase, Spectrum) */
	{ "AUP#CXBL", CAT_OK, "cox.cxbl", CAT_MATCH_PROVIDER, "[CXBL]", NULL, NULL, ANY, NULL,
	  "cox", 0, 1 },
	{ "DT:SPM", CAT_OK, "netease.dt_spm", CAT_MATCH_PROVIDER, "451 [DT:SPM]", "soft", NULL,
	  ANY, NULL, "netease", 0, 1 },
	{ "AUP#I-1010", CAT_OK, "spectrum.i1010", CAT_MATCH_PROVIDER, "[I-1010]", NULL, NULL, ANY,
	  NULL, "spectrum", 0, 1 },
	/* GoDaddy's IB607 comes with 550 5.1.1 but is a rate limit */
	{ "IB607", CAT_OK, "godaddy.ib607", CAT_MATCH_PROVIDER, "550 5.1.1 [IB607]", "hard", NULL,
	  ANY, NULL, "godaddy", 0, 1 },
	/* bounce gmail 5.7.30 (the differing meaning is checked in test_documented) */
	{ "gmail 5.7.30", CAT_OK, "X.7.30", CAT_MATCH_GENERIC, "5.7.30", "hard", "gmail.dkim_fail",
	  CAT_MATCH_PROVIDER, NULL, "gmail", 0, 1 },
	{ "yahoo 5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", NULL, ANY, NULL,
	  "yahoo", 0, 1 },
	/* providers by id, alias and name */
	{ "yahoo", CAT_OK, "provider:yahoo", CAT_MATCH_GENERIC, NULL, NULL, "yahoo.tss04",
	  CAT_MATCH_PROVIDER, NULL, "yahoo", 0, 21 },
	{ "google", CAT_OK, "provider:gmail", CAT_MATCH_GENERIC, NULL, NULL, "gmail.no_such_user",
	  CAT_MATCH_PROVIDER, NULL, "gmail", 0, 42 },
	{ "AT&T", CAT_OK, "provider:att", CAT_MATCH_GENERIC, NULL, NULL, NULL, ANY, NULL, "att",
	  0, 3 },
	/* an entry by its key */
	{ "gmail.no_such_user", CAT_OK, "gmail.no_such_user", CAT_MATCH_PROVIDER, "550 5.1.1",
	  "hard", NULL, ANY, NULL, "gmail", 0, 1 },
};
/* The contradictions issue 11 corrected, each pinned: a lookup of what a
 * provider's page prints reaches the right entry, tags that are deferrals. */
static const struct lookup_case corrections[] = {
	/* Google's page prints typos; each reaches the entry the server sends */
	{ "504 5.7.40", CAT_OK, "504", CAT_MATCH_GENERIC, NULL, NULL,
	  "gmail.unrecognized_auth_type", CAT_MATCH_PROVIDER, "504 5.7.4", "gmail", 504, 1 },
	{ "535 5.7.80", CAT_OK, "535", CAT_MATCH_GENERIC, NULL, NULL, "gmail.bad_credentials",
	  CAT_MATCH_PROVIDER, "535 5.7.8", "gmail", 535, 1 },
	{ "534 5.7.90", CAT_OK, "534", CAT_MATCH_GENERIC, NULL, NULL,
	  "gmail.app_password_required", CAT_MATCH_PROVIDER, "534 5.7.9", "gmail", 534, 1 },
	{ "421 5.7.32", CAT_OK, "421", CAT_MATCH_GENERIC, NULL, NULL, "gmail.dmarc_alignment",
	  CAT_MATCH_PROVIDER, "550 5.7.32", "gmail", 550, 1 },
	/* Google's sender FAQ prints the 4.7.40 deferral as 4.7.31, code alone */
	{ "4.7.31", CAT_OK, "X.7", CAT_MATCH_GENERIC, NULL, NULL, "gmail.no_dmarc_temp",
	  CAT_MATCH_PROVIDER, "421 4.7.40", "gmail", 421, 1 },
	{ "gmail 4.7.31", CAT_OK, "X.7", CAT_MATCH_GENERIC, NULL, NULL, "gmail.no_dmarc_temp",
	  CAT_MATCH_PROVIDER, "421 4.7.40", "gmail", 421, 1 },
	/* the DMARC code itself still finds the DMARC entry */
	{ "550 5.7.40", CAT_OK, "550", CAT_MATCH_GENERIC, NULL, NULL, "gmail.no_dmarc",
	  CAT_MATCH_PROVIDER, "550 5.7.40", "gmail", 550, 1 },
	/* Yahoo's IPTS tags: deferrals, soft */
	{ "IPTS05", CAT_OK, "yahoo.ipts05", CAT_MATCH_PROVIDER, "421 4.7.0 [IPTS05]", "soft", NULL,
	  ANY, NULL, "yahoo", 421, 1 },
	{ "IPTS04", CAT_OK, "yahoo.ipts04", CAT_MATCH_PROVIDER, "421 4.7.0 [IPTS04]", "soft", NULL,
	  ANY, NULL, "yahoo", 421, 1 },
	/* Outlook.com's connection limit has an entry of its own */
	{ "451 4.7.652", CAT_OK, "451", CAT_MATCH_GENERIC, NULL, NULL, "outlook.connection_limit",
	  CAT_MATCH_PROVIDER, "451 4.7.652", NULL, 451, 1 },
	/* comcast.bl000010's reply is the 452 its text starts with */
	{ "BL000010", CAT_OK, "comcast.bl000010", CAT_MATCH_PROVIDER, "452 [BL000010]", "soft", NULL,
	  ANY, NULL, "comcast", 452, 1 },
	/* Exchange Server's 5.3.5 is a loop of the sending side */
	{ "5.3.5", CAT_OK, "X.3.5", CAT_MATCH_GENERIC, NULL, NULL,
	  "microsoft.system_incorrectly_configured", CAT_MATCH_PROVIDER, "5.3.5", NULL, 0, 1 },
	{ "5.7.68", CAT_OK, NULL, ANY, NULL, NULL, "microsoft.reject_direct_send",
	  CAT_MATCH_PROVIDER, "550 5.7.68", "microsoft", 550, 1 },
	/* identifiers of a reply's text: Gmail's help-link ids, Exchange's names */
	{ "RfcMessageNonCompliant", CAT_OK, "gmail.duplicate_headers", CAT_MATCH_PROVIDER,
	  "550 5.7.1", NULL, NULL, ANY, NULL, "gmail", 550, 1 },
	{ "BlockedMessage", CAT_OK, "gmail.security_issue", CAT_MATCH_PROVIDER, "552 5.7.0", NULL,
	  NULL, ANY, NULL, "gmail", 552, 1 },
	/* an identifier with a digit is an identifier, not a tag */
	{ "IPv6AuthError", CAT_OK, "gmail.ipv6_guidelines", CAT_MATCH_PROVIDER, "550 5.7.1", NULL,
	  NULL, ANY, NULL, "gmail", 550, 1 },
	{ "TenantInboundAttribution", CAT_OK, "microsoft.reject_direct_send", CAT_MATCH_PROVIDER,
	  "550 5.7.68", NULL, NULL, ANY, NULL, "microsoft", 550, 1 },
	{ "microsoft APPROVAL.InvalidExpiry", CAT_OK, "microsoft.approval_invalid_expiry",
	  CAT_MATCH_PROVIDER, "550 5.6.0 [APPROVAL.InvalidExpiry]", NULL, NULL, ANY, NULL,
	  "microsoft", 550, 1 },
	/* an ordinary word is no identifier: still nothing */
	{ "mailbox", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
};

/* An entry or guide item by key, or NULL; *res must be freed. */
static const struct cat_entry *
get_key(const char *key, struct cat_result **res)
{
	struct cat_error err;

	*res = NULL;
	if (!CHECK_INT_EQ(cat_get(cat, key, 0, res, &err), CAT_OK) || !*res || (*res)->n < 1) {
		fprintf(stderr, "\t%s: %s\n", key, err.msg);
		return NULL;
	}
	return &(*res)->entries[0];
}

/* The corrections that are words and reasons, not lookups. */
static void
test_corrections(void)
{
	static const char *const levels[][2] = {
		{ "impact:ip_blacklisted", "critical" }, { "impact:invalid_address", "severe" },
		{ "impact:mailbox_full", "moderate" },   { "impact:rate_limiting", "low-moderate" },
		{ "impact:content_size", "low" },        { "impact:server_network", "minimal" },
	};
	struct cat_result *res = NULL;
	const struct cat_entry *e;
	size_t i;

	/* 0.3% is what Gmail and Yahoo enforce; 0.1% is Google's target */
	CHECK_CASE("complaint rate: 0.3%% enforced, 0.1%% a target");
	if ((e = get_key("threshold:complaint_rate", &res))) {
		CHECK(e->limit && strstr(e->limit, "0.3%") && strstr(e->limit, "enforced"));
		CHECK(e->limit && strstr(e->limit, "0.1%") && strstr(e->limit, "target"));
		CHECK(e->meaning && !strstr(e->meaning, "enforces the lower figure"));
		CHECK(e->n_sources >= 2);
	}
	cat_result_free(res);

	/* Yahoo's [IPTS04], [IPTS05] and [TSS05] are deferrals, not blocklistings */
	CHECK_CASE("Yahoo IPTS04, IPTS05, TSS05 are deferrals");
	{
		static const char *const ids[] = { "yahoo.ipts04", "yahoo.ipts05", "yahoo.tss05" };

		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			if ((e = get_key(ids[i], &res))) {
				CHECK_STR_EQ(e->reason, "reputation");
				CHECK_INT_EQ(e->reply, 421);
				CHECK(e->n_texts >= 1 && strstr(e->texts[0], "temporarily deferred"));
			}
			cat_result_free(res);
		}
	}

	/* Exchange Server 5.3.5: the fix is on the sending side */
	CHECK_CASE("5.3.5 is a Receive connector loop of the sender");
	if ((e = get_key("microsoft.system_incorrectly_configured", &res))) {
		CHECK_STR_EQ(e->reason, "sender_config");
		CHECK(e->causes && strstr(e->causes, "Receive connector"));
		CHECK(e->fix && strstr(e->fix, "nothing for the recipient"));
	}
	cat_result_free(res);
	if ((e = get_key("X.3.5", &res)))
		CHECK(e->fix && strstr(e->fix, "your own server"));
	cat_result_free(res);

	/* Yahoo 554 5.7.9: the sender fixes authentication and DMARC */
	CHECK_CASE("Yahoo 554 5.7.9 is the sender's authentication");
	if ((e = get_key("yahoo.policy_reasons", &res))) {
		CHECK_STR_EQ(e->reason, "authentication");
		CHECK(e->fix && strstr(e->fix, "DMARC"));
	}
	cat_result_free(res);

	/* Google's sender FAQ prints the PTR deferral as 4.7.23, the code alone: that is
	 * the 451 4.7.23 row of the SMTP error page, and the 421 4.7.0 row stays. */
	CHECK_CASE("the FAQ's 4.7.23 is Gmail's 451 4.7.23 PTR deferral");
	if ((e = get_key("gmail.no_ptr_rate_limited", &res))) {
		int faq = 0;

		CHECK_INT_EQ(e->reply, 451);
		for (i = 0; i < e->n_sources; i++)
			faq |= e->sources[i].href && strstr(e->sources[i].href, "14229414") != NULL;
		CHECK(faq);
		CHECK(e->n_texts >= 1 && strstr(e->texts[0], "PTR record's forward DNS entry"));
	}
	cat_result_free(res);
	if ((e = get_key("gmail.no_ptr_temp", &res))) {
		CHECK_INT_EQ(e->reply, 421);
		CHECK(e->meaning && strstr(e->meaning, "451 4.7.23"));
	}
	cat_result_free(res);

	/* every code of the FAQ's table names the FAQ among its sources */
	CHECK_CASE("Google's sender FAQ table: each code's entry cites it");
	{
		static const char *const faq_ids[] = {
			"gmail.no_ptr_rate_limited", "gmail.spf_fail_temp", "gmail.no_tls_temp",
			"gmail.dkim_fail_temp",      "gmail.no_dmarc_temp", "gmail.dmarc_alignment_temp",
			"gmail.no_ptr",              "gmail.spf_fail",      "gmail.no_tls",
			"gmail.dkim_fail",
		};
		size_t k;

		for (k = 0; k < sizeof(faq_ids) / sizeof(faq_ids[0]); k++) {
			int faq = 0;

			if ((e = get_key(faq_ids[k], &res)))
				for (i = 0; i < e->n_sources; i++)
					faq |= e->sources[i].href &&
					       strstr(e->sources[i].href, "14229414") != NULL;
			if (!CHECK(faq))
				fprintf(stderr, "\t%s: no FAQ source\n", faq_ids[k]);
			cat_result_free(res);
		}
	}

	/* the Guide's impact levels: six distinct words */
	CHECK_CASE("the Guide's impact levels");
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if ((e = get_key(levels[i][0], &res)))
			CHECK_STR_EQ(e->impact_level, levels[i][1]);
		cat_result_free(res);
	}

	/* sources that moved */
	CHECK_CASE("Outlook.com's and Comcast's pages");
	if ((e = get_key("provider:outlook", &res))) {
		CHECK(e->postmaster_href && strstr(e->postmaster_href, "substrate.office.com"));
		CHECK(e->n_sources >= 1 && e->sources[0].href &&
		      strstr(e->sources[0].href, "substrate.office.com"));
	}
	cat_result_free(res);
	if ((e = get_key("provider:comcast", &res)))
		CHECK(e->n_sources >= 1 && e->sources[0].href &&
		      strstr(e->sources[0].href, "xfinity.com") && e->sources[0].as_of);
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* The documented examples that need a closer look than the table gives. */
static void
test_documented(void)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i, at;
	const struct cat_entry *e;

	/* 5.7.620: no registry code; the subject X.7 seen in class 5, then the range */
	CHECK_CASE("5.7.620 in Microsoft's 5.7.606-649");
	if (CHECK_INT_EQ(cat_lookup(cat, "5.7.620", &res, &err), CAT_OK) && CHECK(res->n >= 2)) {
		CHECK_INT_EQ(res->entries[0].kind, CAT_KIND_SUBJECT);
		CHECK_INT_EQ(res->entries[0].cls, 5);
		CHECK_INT_EQ(res->entries[0].subject, 7);
		e = find_key(res, "microsoft.banned_sending_ip", &at);
		if (CHECK(e != NULL)) {
			CHECK_INT_EQ(e->subject, 7);
			CHECK_INT_EQ(e->detail_lo, 606);
			CHECK_INT_EQ(e->detail_hi, 649);
			CHECK_STR_EQ(e->provider, "microsoft");
			CHECK_INT_EQ(res->match[at], CAT_MATCH_PROVIDER);
		}
	}
	cat_result_free(res);
	res = NULL;

	/* bounce BL000101: Comcast's code, decoded flag by flag */
	CHECK_CASE("BL000101");
	if (CHECK_INT_EQ(cat_lookup(cat, "BL000101", &res, &err), CAT_OK) && CHECK(res->n >= 1)) {
		e = &res->entries[0];
		CHECK_INT_EQ(e->kind, CAT_KIND_DECODED);
		CHECK_INT_EQ(res->match[0], CAT_MATCH_PROVIDER);
		CHECK_STR_EQ(e->key, "BL000101");
		CHECK_STR_EQ(e->provider, "comcast");
		CHECK(e->title && strstr(e->title, "Spamhaus ZEN") != NULL);
		CHECK(e->title && strstr(e->title, "SenderScore") != NULL);
		CHECK(e->title && strstr(e->title, "Cloudmark") == NULL);
		CHECK_INT_EQ(e->reply, 554);
		CHECK_STR_EQ(cat_class_severity(e->severity), "hard");
		CHECK_INT_EQ(e->n_notes, 3);
	}
	cat_result_free(res);
	res = NULL;

	/* bounce gmail 5.7.30: Gmail's own meaning differs from the registry's */
	CHECK_CASE("gmail 5.7.30");
	if (CHECK_INT_EQ(cat_lookup(cat, "gmail 5.7.30", &res, &err), CAT_OK)) {
		e = find_key(res, "gmail.dkim_fail", NULL);
		if (CHECK(e != NULL)) {
			CHECK(e->differs);
			CHECK_STR_EQ(e->registry_key, "X.7.30");
			CHECK(e->registry_title != NULL);
		}
		for (i = 0; i < res->n; i++)
			if (res->entries[i].kind == CAT_KIND_ENTRY)
				CHECK_STR_EQ(res->entries[i].provider, "gmail");
	}
	cat_result_free(res);
	res = NULL;

	/* bounce search mailbox full: the first hit is about a full mailbox */
	CHECK_CASE("search mailbox full");
	if (CHECK_INT_EQ(cat_search(cat, "mailbox full", 0, &res, &err), CAT_OK) &&
	    CHECK(res->n > 0)) {
		e = &res->entries[0];
		if (!CHECK(strcmp(e->key, "X.2.2") == 0 || strstr(e->code, "452") ||
			   strstr(e->code, "552") || strcmp(e->key, "reason:mailbox_full") == 0))
			dump(res);
	}
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ list */

static void
test_list(void)
{
	struct cat_filter f;
	struct cat_result *res = NULL, *res2 = NULL;
	struct cat_error err;
	size_t i, n;

	/* the registry's codes, classes and subjects, and the providers */
	CHECK_CASE("cat_count");
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_REPLY, &n, &err), CAT_OK);
	CHECK_INT_EQ(n, 63);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_ENHANCED, &n, &err), CAT_OK);
	CHECK_INT_EQ(n, 81);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_CLASS, &n, &err), CAT_OK);
	CHECK_INT_EQ(n, 4);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_SUBJECT, &n, &err), CAT_OK);
	CHECK_INT_EQ(n, 8);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_PROVIDER, &n, &err), CAT_OK);
	/* the seven of the seed and the families issue 11 adds (blocklists,
	 * gateways, sending services, mailbox providers): at least the 35 the issue asks for */
	CHECK(n >= 35);
	{
		static const struct {
			enum cat_kind kind;
			size_t min;
		} kinds[] = { { CAT_KIND_IMPACT, 9 }, { CAT_KIND_THRESHOLD, 4 },
			      { CAT_KIND_PRACTICE, 10 }, { CAT_KIND_REASON, 30 } };

		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			CHECK_CASE("list kind %s", cat_kind_name(kinds[i].kind));
			memset(&f, 0, sizeof(f));
			f.kind_set = 1;
			f.kind = kinds[i].kind;
			if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK))
				CHECK(res->n >= kinds[i].min);
			cat_result_free(res);
			res = NULL;
		}
	}

	/* bounce list --provider yahoo */
	CHECK_CASE("list provider yahoo");
	memset(&f, 0, sizeof(f));
	f.provider = "yahoo";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n >= 21)) {
		for (i = 0; i < res->n; i++)
			CHECK_STR_EQ(res->entries[i].provider, "yahoo");
		CHECK(find_key(res, "yahoo.tss04", NULL) != NULL);
	}
	cat_result_free(res);
	res = NULL;
	/* Gmail by its alias google */
	CHECK_CASE("list provider GOOGLE");
	f.provider = "gmail";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n >= 42))
		CHECK(find_key(res, "gmail.no_such_user", NULL) != NULL);
	f.provider = "GOOGLE";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res2, &err), CAT_OK) && res) {
		CHECK_INT_EQ(res2->n, res->n);
		for (i = 0; i < res2->n && i < res->n; i++)
			CHECK_STR_EQ(res2->entries[i].key, res->entries[i].key);
	}
	cat_result_free(res);
	cat_result_free(res2);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ get */

static void
test_get(void)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	const struct cat_entry *e;

	CHECK_CASE("get gmail.no_such_user");
	if (CHECK_INT_EQ(cat_get(cat, "gmail.no_such_user", 0, &res, &err), CAT_OK)) {
		e = &res->entries[0];
		CHECK_INT_EQ(e->kind, CAT_KIND_ENTRY);
		CHECK_STR_EQ(e->provider, "gmail");
		CHECK(e->provider_name != NULL);
		CHECK_INT_EQ(e->reply, 550);
		CHECK_STR_EQ(cat_class_severity(e->severity), "hard");
		CHECK_STR_EQ(e->registry_key, "X.1.1");
		CHECK(e->n_texts > 0);
		if (CHECK(e->n_sources > 0)) {
			CHECK(e->sources[0].title != NULL);
			CHECK(e->sources[0].href != NULL);
		}
		CHECK(e->n_links > 0);
		/* what is compiled in is named "built-in" */
		CHECK_STR_EQ(e->origin, "built-in");
		CHECK(e->line > 1);
	}
	cat_result_free(res);
	res = NULL;

	/* every link of every entry leads to an entry that exists; every
	 * provider entry names a source */
	check_links_resolve(cat);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ JSON */

/* SQLite's json_valid() of s */
static int
json_valid(sqlite3 *db, const char *s)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	return ok;
}

static void
test_json(void)
{
	/* bounce --json 550 5.7.26 | jq -r '.results[] | .key + " " + .code' */
	static const char documented[] =
		"550 550\n"
		"X.7.26 5.7.26\n"
		"gmail.unauthenticated 550 5.7.26\n"
		"gmail.dmarc_rejection 550 5.7.26\n"
		"gmail.spf_hardfail 550 5.7.26\n";
	struct cat_result *res = NULL;
	struct cat_filter f;
	struct cat_error err;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *json = NULL, lines[1024] = "";

	if (!CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK))
		return;
	CHECK_CASE("json 550 5.7.26");
	if (CHECK_INT_EQ(cat_lookup(cat, "550 5.7.26", &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "550 5.7.26", &json, &err), CAT_OK) &&
	    CHECK(json_valid(db, json)) &&
	    CHECK(sqlite3_prepare_v2(db,
				     "SELECT json_extract(value, '$.key') || ' ' ||"
				     " json_extract(value, '$.code') FROM json_each(?1, '$.results')",
				     -1, &st, NULL) == SQLITE_OK)) {
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW && strlen(lines) + 100 < sizeof(lines)) {
			strcat(lines, (const char *)sqlite3_column_text(st, 0));
			strcat(lines, "\n");
		}
		CHECK_STR_EQ(lines, documented);
	}
	sqlite3_finalize(st);
	cat_free(json);
	json = NULL;
	cat_result_free(res);
	res = NULL;

	/* the whole shipped catalog at once: valid JSON, its origin named */
	CHECK_CASE("json of everything");
	memset(&f, 0, sizeof(f));
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "all", &json, &err), CAT_OK)) {
		CHECK(json_valid(db, json));
		CHECK(strstr(json, "\"catalogs\":[\"built-in\"]") != NULL);
	}
	cat_free(json);
	cat_result_free(res);
	sqlite3_close(db);
	CHECK_CASE("%s", "");
}

int
main(void)
{
	struct cat_error err;

	CHECK_CASE("open the built-in catalog");
	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK) || !CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK)) {
		fprintf(stderr, "\tmessage: %s\n", err.msg);
		cat_close(cat);
		return check_done();
	}
	CHECK_INT_EQ(cat_origin_count(cat), 1);
	CHECK_STR_EQ(cat_origin(cat, 0), "built-in");
	CHECK_CASE("providers by their common names");
	CHECK_STR_EQ(cat_provider_id(cat, "Google"), "gmail");
	CHECK_STR_EQ(cat_provider_id(cat, "gmail"), "gmail");
	CHECK_STR_EQ(cat_provider_id(cat, "AT&T"), "att");
	CHECK_CASE("%s", "");
	check_lookup_table(cat, lookups, sizeof(lookups) / sizeof(lookups[0]));
	check_lookup_table(cat, corrections, sizeof(corrections) / sizeof(corrections[0]));
	test_corrections();
	test_documented();
	test_list();
	test_get();
	test_json();
	cat_close(cat);
	return check_done();
}
