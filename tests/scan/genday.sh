#!/bin/sh
# genday.sh: writes a deterministic day of Postfix log in which Gmail starts
# refusing unauthenticated mail (550 5.7.26) at 13:00, for bounce scan's tests.
#
#	sh tests/scan/genday.sh [MESSAGES] >mail.log
#
# One outbound message a recipient, spread evenly over Dec 5 (MESSAGES,
# default 2880: one every 30 s), each with the lines Postfix writes for it
# (cleanup, qmgr, smtp, removed), recipients at gmail.com, yahoo.com,
# outlook.com, example.net and example.org. About 1% are unknown users
# (550 5.1.1), about 3% are greylisted twice and then delivered, one in 40
# stays deferred by a full mailbox and expires, and every 50th message comes
# with an inbound refusal by our smtpd (a client on a blocklist). From 13:00
# every Gmail recipient is refused with Google's published 5.7.26 text
# (support.google.com/a/answer/3726730). The generator is a linear
# congruential one with a fixed seed: the same MESSAGES give the same bytes.
n=${1:-2880}
awk -v n="$n" '
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
function stamp(t,  h, m, s) {
	h = int(t / 3600); m = int((t % 3600) / 60); s = t % 60
	return sprintf("Dec  5 %02d:%02d:%02d mail1", h, m, s)
}
# a line at second t; its key orders it by time, then as written (a string:
# lose digits as array subscripts in some awks)
function line(t, prog, pid, text) { out[sprintf("k%06d%07d", t, k++)] = stamp(t) " postfix/" prog "[" pid "]: " text }
BEGIN {
	seed = 20261205
	split("gmail.com yahoo.com outlook.com example.net example.org", dom, " ")
	relay["gmail.com"] = "gmail-smtp-in.l.google.com[192.0.2.25]:25"
	relay["yahoo.com"] = "mta5.am0.yahoodns.net[192.0.2.26]:25"
	relay["outlook.com"] = "outlook-com.olc.protection.outlook.com[192.0.2.27]:25"
	relay["example.net"] = "mx.example.net[198.51.100.7]:25"
	relay["example.org"] = "mx.example.org[198.51.100.8]:25"
	step = 86400 / n
	for (i = 0; i < n; i++) {
		t = int(i * step)
		r = rnd()
		d = dom[r < 0.4 ? 1 : r < 0.55 ? 2 : r < 0.7 ? 3 : r < 0.85 ? 4 : 5]
		q = sprintf("%05X%05X", 4096 + i, i * 7 % 1048575)
		rcpt = sprintf("user%d@%s", i, d)
		host = relay[d]; sub(/\[.*/, "", host)
		ip = relay[d]; sub(/^[^[]*\[/, "", ip); sub(/\].*/, "", ip)
		line(t, "cleanup", 300 + i % 50, q ": message-id=<" i ".news@example.com>")
		line(t, "qmgr", 200, q ": from=<news@example.com>, size=" (2000 + i % 700) ", nrcpt=1 (queue active)")
		to = q ": to=<" rcpt ">, relay=" relay[d] ", delay=0.8, delays=0.1/0/0.3/0.4, "
		u = rnd()
		if (d == "gmail.com" && t >= 13 * 3600) {
			line(t + 1, "smtp", 400 + i % 30, to "dsn=5.7.26, status=bounced (host " host "[" ip "] said: 550-5.7.26 This email has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. 550-5.7.26  550-5.7.26  Authentication results: 550-5.7.26  DKIM = did not pass 550-5.7.26  SPF [example.com] with ip: [192.0.2.1] = did not pass 550-5.7.26  550-5.7.26  For instructions on setting up authentication, go to 550 5.7.26  https://support.google.com/mail/answer/81126#authentication a1si" i ".42 - gsmtp (in reply to end of DATA command))")
			line(t + 1, "bounce", 500, q ": sender non-delivery notification: B" q)
		} else if (u < 0.01) {
			line(t + 1, "smtp", 400 + i % 30, to "dsn=5.1.1, status=bounced (host " host "[" ip "] said: 550 5.1.1 <" rcpt ">: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))")
			line(t + 1, "bounce", 500, q ": sender non-delivery notification: B" q)
		} else if (u < 0.04) {
			line(t + 1, "smtp", 400 + i % 30, to "dsn=4.7.1, status=deferred (host " host "[" ip "] said: 451 4.7.1 <" rcpt ">: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/ (in reply to RCPT TO command))")
			line(t + 301, "smtp", 400 + i % 30, to "dsn=4.7.1, status=deferred (host " host "[" ip "] said: 451 4.7.1 <" rcpt ">: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/ (in reply to RCPT TO command))")
			line(t + 901, "smtp", 400 + i % 30, to "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as R" q ")")
		} else if (u < 0.065 && d != "gmail.com") {
			line(t + 1, "smtp", 400 + i % 30, to "dsn=4.2.2, status=deferred (host " host "[" ip "] said: 452 4.2.2 <" rcpt ">: Mailbox full (in reply to RCPT TO command))")
			line(t + 1801, "qmgr", 200, q ": from=<news@example.com>, status=expired, returned to sender")
		} else {
			line(t + 1, "smtp", 400 + i % 30, to "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as R" q ")")
		}
		line(t + 2, "qmgr", 200, q ": removed")
		if (i % 50 == 0)
			line(t, "smtpd", 600 + i % 20, "NOQUEUE: reject: RCPT from unknown[203.0.113." (i % 200 + 1) "]: 554 5.7.1 Service unavailable; Client host [203.0.113." (i % 200 + 1) "] blocked using zen.spamhaus.org; from=<promo" i "@example.info> to=<staff@example.com> proto=ESMTP helo=<example.info>")
	}
	for (key in out)
		keys[++nk] = key
	# the lines in time order, and in the order written within a second
	msort(keys, 1, nk)
	for (j = 1; j <= nk; j++)
		print out[keys[j]]
}
function msort(a, lo, hi,  mid, i, j, k2, tmp) {
	if (lo >= hi) return
	mid = int((lo + hi) / 2)
	msort(a, lo, mid); msort(a, mid + 1, hi)
	i = lo; j = mid + 1; k2 = 0
	while (i <= mid && j <= hi) tmp[++k2] = (a[i] <= a[j]) ? a[i++] : a[j++]
	while (i <= mid) tmp[++k2] = a[i++]
	while (j <= hi) tmp[++k2] = a[j++]
	for (i = 1; i <= k2; i++) a[lo + i - 1] = tmp[i]
}'
