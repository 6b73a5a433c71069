/* Open MPI for commands that split their simulations (bloc forecast): under mpirun each rank
 * runs its block of the simulations and the counts are summed with MPI_Allreduce (integers:
 * exact, in any order), so every rank holds the same answer and rank 0 writes it. Built only
 * when CMake finds MPI (BLOC_HAVE_MPI); MPI is started only when the process was launched by
 * mpirun, so the same binary runs alone as before. */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef BLOC_HAVE_MPI
#include <mpi.h>

static int started;

/* Launched by an MPI launcher? (Open MPI, PMIx, MPICH/Hydra) */
static int launched(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
}

int cli_mpi_start(int *argc, char ***argv)
{
	if (!launched())
		return 0;
	if (MPI_Init(argc, argv) != MPI_SUCCESS)
		return -1;
	started = 1;
	return 0;
}

static int sum_counts(uint64_t *counts, size_t n, void *ctx)
{
	const size_t chunk = (size_t)1 << 24; /* counts per call: an int count, well within */
	size_t done = 0;

	(void)ctx;
	while (done < n) {
		size_t k = n - done < chunk ? n - done : chunk;
		if (MPI_Allreduce(MPI_IN_PLACE, counts + done, (int)k, MPI_UINT64_T, MPI_SUM,
		                  MPI_COMM_WORLD) != MPI_SUCCESS)
			return bloc_error_set(BLOC_EPAR, "MPI_Allreduce of %zu counts failed", k);
		done += k;
	}
	return BLOC_OK;
}

int cli_mpi_partition(bloc_partition *p)
{
	int rank = 0, size = 1;

	p->rank = 0;
	p->size = 1;
	p->reduce = NULL;
	p->ctx = NULL;
	if (!started)
		return 0;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	p->rank = (unsigned)rank;
	p->size = (unsigned)size;
	p->reduce = sum_counts;
	return size > 1;
}

int cli_mpi_rank(void)
{
	int rank = 0;

	if (started)
		MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	return rank;
}

void cli_mpi_abort(void)
{
	int rank = cli_mpi_rank(), size = 1;

	if (!started)
		return;
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (size < 2)
		return;
	/* rank 0 has said what went wrong; a rank that failed alone says it a moment later (if
	 * rank 0 failed too, its abort has already ended this process), then ends them all, which
	 * may be waiting for it in MPI_Allreduce */
	if (rank != 0) {
		sleep(1);
		fprintf(stderr, "bloc: rank %d: %s\n", rank, bloc_error_last());
	}
	MPI_Abort(MPI_COMM_WORLD, BLOC_EXIT_ERROR);
}

void cli_mpi_stop(void)
{
	if (started)
		MPI_Finalize();
	started = 0;
}

#else

int cli_mpi_start(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int cli_mpi_partition(bloc_partition *p)
{
	p->rank = 0;
	p->size = 1;
	p->reduce = NULL;
	p->ctx = NULL;
	return 0;
}

int cli_mpi_rank(void)
{
	return 0;
}

void cli_mpi_stop(void)
{
}

void cli_mpi_abort(void)
{
}

#endif
