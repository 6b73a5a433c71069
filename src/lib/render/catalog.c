/* The data directory's catalogue as a table (apart from results.c so that the result renderers
 * link without the dataset module). */
#include "render_int.h"

#include "bloc/io.h"

int bloc_render_catalog(bloc_table **out, const bloc_dataset *ds)
{
	static const char *const spec[] = {"id:s",     "kind:s",    "date:s", "boundaries:s",
	                                   "format:s", "contest:s", "path:s"};
	bloc_table *t = NULL;
	size_t i, n = bloc_dataset_count(ds), ncontests = 0;
	int err;

	*out = NULL;
	TRY(START(&t, spec));
	for (i = 0; i < n; i++) {
		const bloc_catalog_entry *e = bloc_dataset_entry(ds, i);
		int contest = bloc_format_is_contest(e->format);
		TRY(bloc_table_add_string(t, e->id));
		TRY(bloc_table_add_string(t, e->kind));
		TRY(bloc_table_add_string(t, e->date));
		TRY(bloc_table_add_string(t, e->boundaries));
		TRY(bloc_table_add_string(t, e->format));
		TRY(bloc_table_add_string(t, contest ? "yes" : "no"));
		TRY(bloc_table_add_string(t, e->path));
		ncontests += contest != 0;
	}
	TRY(bloc_table_meta_int(t, "entries", (int64_t)n));
	TRY(bloc_table_meta_int(t, "contests", (int64_t)ncontests));
	*out = t;
	t = NULL;
done:
	bloc_table_free(t);
	return err;
}
