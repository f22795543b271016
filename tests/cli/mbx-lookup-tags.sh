# Provider codes that are tags without digits or with a colon: a word in
# capitals (Cox's CXBL), letters, a colon and a code (NetEase's DT:SPM), a
# prefix ending in '#' dropped (AUP#I-1010); a tag of another provider finds
# nothing; a four-digit Cox IPBL code is decoded; a key keeps its colon; a
# word in lower case is no tag.
for q in CXBL 'AUP#CXCNCT' 'DT:SPM' 'mi:sfq' 'AUP#I-1010' 'cox IB607' IPBL1001 'provider:cox'; do
	echo "-- $q"
	"$BOUNCE" --no-user-catalogs --json "$q" | grep -o '"key":"[^"]*","kind":"[^"]*"' | head -n 1
done
"$BOUNCE" --no-user-catalogs cxbl; echo "exit=$?"
