# Tags the analyzer knows from a provider's markers, though no entry carries
# them as its tag: the entries that mention them; a code pasted with a dash.
"$BOUNCE" --no-user-catalogs --brief S3150; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --brief '(S3140)'; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --brief -5.1.1; echo "exit=$?"
