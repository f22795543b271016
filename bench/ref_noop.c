/* ref_noop.c: the reference for the process-start benchmark.
 *
 * Links ncursesw, libxml2 and sqlite3 like bounce does, references one symbol
 * of each so that the linker keeps all three (and the dynamic loader maps
 * them and their dependencies at start), and exits at once. Its time from
 * fork to exit is the floor that bounce's start-up is compared with.
 */
#include <curses.h>
#include <libxml/xmlversion.h>
#include <sqlite3.h>

int
main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1000) { /* never true: only keeps the references */
		initscr();
		xmlCheckVersion(0);
		return sqlite3_libversion_number();
	}
	return 0;
}
