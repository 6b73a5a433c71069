#!/usr/bin/env Rscript
# An R reference for bloc's agent-based by-election (bloc_sim_run, src/lib/simulate/abm.c): the
# same model, step by step, with the friendship network an igraph graph; independent code and
# random streams, so the answers agree in distribution (within Monte Carlo error), not bit for
# bit. Each step is vectorised over the electors (or the talks, or the ties) where the model
# allows it; what stays a loop is sequential in the model itself (the kinship clusters, the word
# of mouth's generations, the influence rounds).
#
#   Rscript bench/simulate/reference.R SPEC.json N SEED
#
# SPEC.json is what `bloc simulate SEAT BASE ... --by spec -o SPEC.json` writes: every field of
# bloc_sim_params (the electorate, the candidates' leanings, the networks, the campaigns) and
# the run settings. N replicates run one after another from set.seed(SEED). Standard output: CSV
# party,strategy,mean,lo90,hi90,p_win,sd (each candidate's share of the vote in points over the
# replicates: mean, 90% interval by bloc's quantile rule, P(most votes), SD for Monte Carlo
# standard errors), then a row party=TURNOUT (turnout in points; p_win empty). Standard error:
# `# key: value` lines (replicates, sim_seconds, replicates_per_second of the replicate loop
# alone, total_seconds, and the seconds each step took over all replicates).
# Needs igraph and jsonlite (apt-get install -y r-cran-igraph r-cran-jsonlite).
suppressPackageStartupMessages({
	library(jsonlite)
	library(igraph)
})
igraph_options(return.vs.es = FALSE) # neighbours as plain vertex ids

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3)
	stop("usage: Rscript reference.R SPEC.json N SEED", call. = FALSE)
nrep <- as.integer(args[2])
seed <- as.integer(args[3])
stopifnot(nrep >= 1)

t_start <- Sys.time()
sp <- fromJSON(args[1], simplifyVector = TRUE)
num <- function(v) as.numeric(unlist(v)) # empty JSON arrays come back as list()
need <- function(k) {
	if (is.null(sp[[k]]))
		stop("reference.R: the spec has no '", k, "'", call. = FALSE)
	sp[[k]]
}

n <- as.integer(need("electors"))
ng <- as.integer(floor(need("group_share") * n + 0.5)) # llround: the group's electors first
age_group <- num(need("age_group"))
age_rest <- num(need("age_rest"))
female <- need("female")
hh_group <- num(need("household_group"))
hh_rest <- num(need("household_rest"))
turnout_age <- num(need("turnout_age"))
turnout_scale <- need("turnout_scale")
cands <- unlist(need("candidates"))
K <- length(cands)
lean_group <- num(need("lean_group"))
lean_rest <- num(need("lean_rest"))
kin_min <- as.integer(need("kin_min"))
kin_max <- as.integer(need("kin_max"))
# (the spec's "brokers", per cluster, enters neither model: a cluster's endorsement is one draw)
friends <- need("friends")
homophily <- need("homophily")
# age and sex homophily (bloc simulate --homophily-age/--homophily-sex) are not in this reference
if (isTRUE(sp$homophily_age > 0) || isTRUE(sp$homophily_sex > 0))
	stop("reference.R: homophily by age or sex is not implemented here; run with both at 0",
	     call. = FALSE)
strategy <- unlist(need("strategy"))
budget <- num(need("budget"))
contact_rate <- need("contact_rate")
cace <- need("cace_turnout")
persuasion <- need("persuasion")
spillover <- need("spillover")
comply_men <- need("compliance_older_men")
comply_other <- need("compliance_other")
doorstep_target <- as.logical(need("doorstep_target"))
rounds <- as.integer(need("rounds"))
word_of_mouth <- need("word_of_mouth")
influence <- need("influence")
stopifnot(n >= 10, K >= 1, length(hh_group) == 6, length(hh_rest) == 6,
          length(lean_group) == K, length(lean_rest) == K,
          length(strategy) == K, length(budget) == K, kin_min >= 1, kin_max >= kin_min,
          friends >= 0, homophily >= 0, homophily <= 1)

# The sizes of the households holding `m` electors: sizes drawn from P(1..6 electors) until they
# cover m, the last one cut at m (households do not straddle the group, nor pass the last
# elector).
households <- function(m, p) {
	if (m == 0)
		return(integer(0))
	mean_size <- sum(seq_along(p) * p) / sum(p)
	s <- integer(0)
	repeat {
		s <- c(s, sample.int(length(p), ceiling(1.1 * m / mean_size) + 16, TRUE, prob = p))
		cs <- cumsum(s)
		if (cs[length(cs)] >= m)
			break
	}
	h <- which(cs >= m)[1]
	s <- s[seq_len(h)]
	s[h] <- m - (if (h > 1) cs[h - 1] else 0L)
	s
}
clamp01 <- function(v) pmin(pmax(v, 0), 1)

broker_cands <- which(strategy %in% c("broker", "both"))
broker_w <- ifelse(budget[broker_cands] > 0, budget[broker_cands], 1)
door_cands <- which(strategy %in% c("doorstep", "both"))
m_age <- pmin(pmax(turnout_age * turnout_scale, 0.01), 0.99) # each age band's mean propensity

steps <- c("people", "kin", "friends", "graph", "brokers", "doorstep", "word_of_mouth",
           "influence", "vote")
step_sec <- setNames(numeric(length(steps)), steps)
tick <- function(step, t0) {
	t1 <- Sys.time()
	step_sec[step] <<- step_sec[step] + as.numeric(t1 - t0, units = "secs")
	t1
}

# One replicate: the votes of each candidate and the turnout.
replicate_once <- function() {
	t0 <- Sys.time()
	# ---- people: households as runs of electors, the group's first ----
	hg <- households(ng, hh_group)
	nhg <- length(hg) # the group's households come first
	hsize <- c(hg, households(n - ng, hh_rest))
	nhh <- length(hsize)
	hstart <- c(1L, cumsum(hsize)[-nhh] + 1L) # first elector of each household (1-based)
	hh <- rep.int(seq_len(nhh), hsize)
	sex <- as.integer(runif(n) < female) # 1: a woman
	age <- c(sample.int(6L, ng, TRUE, prob = age_group),
	         sample.int(6L, n - ng, TRUE, prob = age_rest)) - 1L # bands 0..5
	lean <- c(sample.int(K, ng, TRUE, prob = lean_group),
	          sample.int(K, n - ng, TRUE, prob = lean_rest))
	choice <- lean
	told <- logical(n) # won over on the doorstep (or by word of mouth from one who was)
	m <- m_age[age + 1L]
	prop <- rbeta(n, m, 1 - m) # Beta(m, 1 - m): U-shaped
	t0 <- tick("people", t0)

	# ---- kinship clusters: runs of whole group households of kin_min..kin_max electors ----
	kin <- integer(n) # 0: outside any cluster
	nkin <- 0L
	if (nhg > 0) {
		cs <- cumsum(hsize[seq_len(nhg)])
		h <- 0L # households taken so far
		while (h < nhg) {
			want <- kin_min + sample.int(kin_max - kin_min + 1L, 1L) - 1L
			before <- if (h > 0) cs[h] else 0L
			# the first household whose end reaches before + want (or the last group one)
			j <- min(findInterval(before + want - 0.5, cs) + 1L, nhg)
			nkin <- nkin + 1L
			kin[hstart[h + 1L]:(hstart[j] + hsize[j] - 1L)] <- nkin
			h <- j
		}
	}
	t0 <- tick("kin", t0)

	# ---- friendship ties: each elector names floor(friends) or one more, in their own part of
	# the electorate with probability homophily, in proportion to an exponential popularity ----
	pop <- rexp(n)
	base <- floor(friends)
	want <- base + (runif(n) < friends - base)
	from <- rep.int(seq_len(n), want)
	same <- runif(length(from)) < homophily
	to_group <- same == (from <= ng)
	if (ng == 0) to_group[] <- FALSE # an empty part: anyone
	if (ng == n) to_group[] <- TRUE
	to <- integer(length(from))
	k <- sum(to_group)
	if (k) to[to_group] <- sample.int(ng, k, TRUE, prob = pop[seq_len(ng)])
	if (k < length(to))
		to[!to_group] <- ng + sample.int(n - ng, length(to) - k, TRUE, prob = pop[(ng + 1L):n])
	keep <- from != to # naming oneself: no tie
	from <- from[keep]
	to <- to[keep]
	t0 <- tick("friends", t0)
	# undirected, repeated ties kept (as bloc's CSR keeps them)
	g <- make_graph(as.vector(rbind(from, to)), n = n, directed = FALSE)
	adj <- as_adj_list(g, mode = "all")
	deg <- lengths(adj)
	nbr <- unlist(adj, use.names = FALSE)
	off <- c(0L, cumsum(deg))[seq_len(n)] # electors i's neighbours: nbr[off[i] + 1:deg[i]]
	t0 <- tick("graph", t0)

	# ---- brokers: clusters shared among the broker campaigns by budget; members follow with
	# their sex and age's compliance, a follower's turnout rising as a talk's would ----
	if (length(broker_cands) && nkin > 0) {
		of <- broker_cands[sample.int(length(broker_cands), nkin, TRUE, prob = broker_w)]
		members <- which(kin > 0)
		comply <- ifelse(sex[members] == 0L & age[members] >= 3L, comply_men, comply_other)
		follow <- members[runif(length(members)) < comply]
		choice[follow] <- of[kin[follow]]
		prop[follow] <- clamp01(prop[follow] + cace)
	}
	t0 <- tick("brokers", t0)

	# ---- doorstep: budget doors (the group's households first when targeting), a talk at
	# contact_rate of them, to a woman or young elector first; housemates get spillover ----
	if (length(door_cands)) {
		elig <- which(sex == 1L | age <= 1L)
		first_elig <- rep(NA_integer_, nhh)
		first_elig[rev(hh[elig])] <- rev(elig) # the first eligible elector of each household
		for (c in door_cands) {
			doors <- floor(budget[c])
			if (doors < 1)
				next
			# when targeting, each of the group's households once (in a random order) before
			# any other door, then doors anywhere; otherwise doors anywhere
			first <- if (doorstep_target) min(doors, nhg) else 0
			th <- c(if (first > 0) sample.int(nhg, first) else integer(0),
			        sample.int(nhh, doors - first, TRUE))
			th <- th[runif(doors) < contact_rate] # the doors where someone talks
			if (!length(th))
				next
			who <- hstart[th] + floor(runif(length(th)) * hsize[th])
			if (doorstep_target) {
				fe <- first_elig[th]
				who[!is.na(fe)] <- fe[!is.na(fe)]
			}
			s <- hsize[th]
			member <- rep.int(hstart[th], s) + sequence(s) - 1L
			is_who <- member == rep.int(who, s)
			# boosts only add, so clamping their sum equals clamping after each talk
			add <- cace * tabulate(who, n) + spillover * cace * tabulate(member[!is_who], n)
			prop <- clamp01(prop + add)
			won <- runif(length(member)) < ifelse(is_who, persuasion, spillover * persuasion)
			choice[member[won]] <- c # the later of two talks wins; so does the later campaign
			told[member[won]] <- TRUE
		}
	}
	t0 <- tick("doorstep", t0)

	# ---- word of mouth: those won over on the doorstep pass their candidate on along their
	# ties, each tie winning over a friend not yet won with probability word_of_mouth, for
	# `rounds` generations; a friend reached by several in one generation goes with the first
	# in the queue (the doorstep's in elector order, then in the order they were won) ----
	if (rounds > 0 && word_of_mouth > 0) {
		front <- which(told)
		for (r in seq_len(rounds)) {
			if (!length(front))
				break
			d <- deg[front]
			from <- rep.int(front, d)
			to <- nbr[rep.int(off[front], d) + sequence(d)]
			try <- !told[to]
			from <- from[try]
			to <- to[try]
			hit <- runif(length(to)) < word_of_mouth
			from <- from[hit]
			to <- to[hit]
			first <- !duplicated(to)
			from <- from[first]
			to <- to[first]
			told[to] <- TRUE
			choice[to] <- choice[from] # the senders were won before this generation: fixed
			front <- to
		}
	}
	t0 <- tick("word_of_mouth", t0)

	# ---- influence: synchronous rounds, each elector copying a random friend's choice with
	# probability influence ----
	if (rounds > 0 && influence > 0) {
		has <- which(deg > 0)
		for (r in seq_len(rounds)) {
			i <- has[runif(length(has)) < influence]
			pick <- nbr[off[i] + floor(runif(length(i)) * deg[i]) + 1L]
			choice[i] <- choice[pick] # from the last round's choices
		}
	}
	t0 <- tick("influence", t0)

	# ---- the vote ----
	voted <- runif(n) < prop
	votes <- tabulate(choice[voted], K)
	tick("vote", t0)
	list(votes = votes, turnout = sum(voted) / n)
}

set.seed(seed)
votes <- matrix(0, nrep, K)
turnout <- numeric(nrep)
t_sim <- Sys.time()
for (i in seq_len(nrep)) {
	r <- replicate_once()
	votes[i, ] <- r$votes
	turnout[i] <- 100 * r$turnout
}
sim_sec <- as.numeric(Sys.time() - t_sim, units = "secs")

# ---- summaries, as bloc's (src/lib/query/q_simulate.c) -------------------------------------

share <- 100 * votes / pmax(rowSums(votes), 1)
q_bloc <- function(v, q) sort(v)[floor(q * (length(v) - 1) + 0.5) + 1] # v[(size_t)(q (n-1) + .5)]
winner <- max.col(votes, ties.method = "first")
out <- data.frame(
	party = c(cands, "TURNOUT"),
	strategy = c(strategy, ""),
	mean = c(colMeans(share), mean(turnout)),
	lo90 = c(apply(share, 2, q_bloc, 0.05), q_bloc(turnout, 0.05)),
	hi90 = c(apply(share, 2, q_bloc, 0.95), q_bloc(turnout, 0.95)),
	p_win = c(tabulate(winner, K) / nrep, NA),
	sd = c(if (nrep > 1) apply(share, 2, sd) else rep(0, K), if (nrep > 1) sd(turnout) else 0))
write.csv(format(out, digits = 6, scientific = FALSE, trim = TRUE), stdout(), row.names = FALSE,
          quote = FALSE, na = "")
cat(sprintf("# replicates: %d\n# electors: %d\n# sim_seconds: %.3f\n# replicates_per_second: %.3f\n",
            nrep, n, sim_sec, nrep / sim_sec), file = stderr())
cat(sprintf("# step_%s: %.3f\n", names(step_sec), step_sec), sep = "", file = stderr())
cat(sprintf("# total_seconds: %.3f\n", as.numeric(Sys.time() - t_start, units = "secs")),
    file = stderr())
