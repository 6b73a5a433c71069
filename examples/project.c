/* Project the 2024 seats under a scenario with libbloc, then print the seats per party as CSV:
 * what `bloc project ge2024 --shares LAB=30,CON=22,REF=20 --format csv` prints.
 *   cc project.c $(pkg-config --cflags --libs bloc) -o project && ./project
 * The data is found as bloc finds it: $BLOC_DATA, else the data installed with bloc. */
#include <bloc/error.h>
#include <bloc/query.h>
#include <stdio.h>

int main(void)
{
	bloc_store *st = NULL;
	bloc_request *rq = NULL;
	bloc_answer a = BLOC_ANSWER_INIT;
	int err;

	if ((err = bloc_store_open(&st, NULL, NULL)) < 0 || /* NULL: the default data directory */
	    (err = bloc_request_new(&rq, "project")) < 0 ||
	    (err = bloc_request_set(rq, "base", "ge2024")) < 0 ||
	    (err = bloc_request_set(rq, "shares", "LAB=30,CON=22,REF=20")) < 0 ||
	    (err = bloc_query_run(&a, st, rq)) < 0 ||
	    (err = bloc_table_write(a.table, stdout, BLOC_FORMAT_CSV)) < 0)
		fprintf(stderr, "project: %s\n", bloc_error_last());
	bloc_answer_dispose(&a);
	bloc_request_free(rq);
	bloc_store_free(st);
	return err < 0;
}
