# A continuation line of a multi-line reply and a legacy #code.
"$BOUNCE" --no-user-catalogs --brief "550-5.2.1" "#5.2.1"; echo "exit=$?"
