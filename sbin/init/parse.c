/*
 * The service files, /etc/eclipse/services/NAME.service: one "Key=value"
 * per line, blank lines and lines whose first non-blank character is '#'
 * ignored.  Documentation/services.md is the reference; a file with any
 * error is reported as file:line and skipped whole.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

/* Append a copy of s to v, keeping it NULL-terminated; -ENOMEM. */
int
strvec_add(struct strvec *v, const char *s)
{
	char **n;

	if (v->v_n + 2 > v->v_cap) {
		size_t cap = v->v_cap ? v->v_cap * 2 : 8;

		if ((n = realloc(v->v_s, cap * sizeof(*n))) == NULL)
			return -ENOMEM;
		v->v_s = n;
		v->v_cap = cap;
	}
	if ((v->v_s[v->v_n] = strdup(s)) == NULL)
		return -ENOMEM;
	v->v_s[++v->v_n] = NULL;
	return 0;
}

/* Free v's strings and array; v is empty again. */
void
strvec_free(struct strvec *v)
{
	size_t i;

	for (i = 0; i < v->v_n; i++)
		free(v->v_s[i]);
	free(v->v_s);
	v->v_s = NULL;
	v->v_n = v->v_cap = 0;
}

/*
 * Split s into words, appended to out: blanks separate words; '...'
 * keeps everything inside as it is; "..." too, except that \" and \\
 * stand for " and \; outside quotes, \ makes the next character
 * ordinary.  Nothing else is special (no variables, no globbing).
 * Returns 0, or -EINVAL with *errp saying what is wrong.
 */
int
parse_words(const char *s, struct strvec *out, const char **errp)
{
	char *word, *w;
	bool in_word;
	int error = 0;

	if ((word = malloc(strlen(s) + 1)) == NULL)
		return -ENOMEM;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		w = word;
		in_word = true;
		while (in_word && *s != '\0') {
			switch (*s) {
			case ' ':
			case '\t':
				in_word = false;
				break;
			case '\'':
				for (s++; *s != '\'' && *s != '\0'; s++)
					*w++ = *s;
				if (*s == '\0') {
					*errp = "unterminated '";
					error = -EINVAL;
					goto out;
				}
				s++;
				break;
			case '"':
				for (s++; *s != '"' && *s != '\0'; s++) {
					if (*s == '\\' &&
					    (s[1] == '"' || s[1] == '\\'))
						s++;
					*w++ = *s;
				}
				if (*s == '\0') {
					*errp = "unterminated \"";
					error = -EINVAL;
					goto out;
				}
				s++;
				break;
			case '\\':
				if (s[1] == '\0') {
					*errp = "\\ at the end of the line";
					error = -EINVAL;
					goto out;
				}
				*w++ = s[1];
				s += 2;
				break;
			default:
				*w++ = *s++;
				break;
			}
		}
		*w = '\0';
		if ((error = strvec_add(out, word)) < 0)
			goto out;
	}
out:
	free(word);
	return error;
}

/* Free a service and everything it holds. */
void
service_free(struct service *sv)
{
	if (sv == NULL)
		return;
	free(sv->sv_name);
	free(sv->sv_file);
	free(sv->sv_desc);
	strvec_free(&sv->sv_argv);
	strvec_free(&sv->sv_requires);
	strvec_free(&sv->sv_after);
	free(sv->sv_user);
	free(sv->sv_group);
	free(sv->sv_wdir);
	strvec_free(&sv->sv_env);
	free(sv->sv_tty);
	free(sv->sv_restart_at);
	free(sv->sv_log);
	free(sv);
}

static const char *
parse_int(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < 0 || n > INT_MAX)
		return "not a number from 0 up";
	*out = (int)n;
	return NULL;
}

static const char *
parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = false;
	else
		return "not yes or no";
	return NULL;
}

static const char *
parse_string(const char *v, char **out)
{
	if (*out != NULL)
		return "given twice";
	if (*v == '\0')
		return "empty";
	if ((*out = strdup(v)) == NULL)
		return "out of memory";
	return NULL;
}

/* Service names: letters, digits, and - _ . @ (no '/', no blanks). */
static bool
parse_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-_.@", *s) == NULL)
			return false;
	return true;
}

/* Requires=/After=: names separated by blanks, added to v. */
static const char *
parse_names(const char *v, struct strvec *out)
{
	struct strvec words = { 0 };
	const char *why = NULL;
	size_t i;

	if (parse_words(v, &words, &why) < 0)
		return why != NULL ? why : "out of memory";
	for (i = 0; i < words.v_n && why == NULL; i++) {
		if (!parse_name_ok(words.v_s[i]))
			why = "not a service name";
		else if (strvec_add(out, words.v_s[i]) < 0)
			why = "out of memory";
	}
	strvec_free(&words);
	return why;
}

/* Environment=: NAME=VALUE words, added to sv_env. */
static const char *
parse_env(const char *v, struct strvec *out)
{
	struct strvec words = { 0 };
	const char *why = NULL, *eq;
	size_t i;

	if (parse_words(v, &words, &why) < 0)
		return why != NULL ? why : "out of memory";
	for (i = 0; i < words.v_n && why == NULL; i++) {
		eq = strchr(words.v_s[i], '=');
		if (eq == NULL || eq == words.v_s[i])
			why = "not NAME=VALUE";
		else if (strvec_add(out, words.v_s[i]) < 0)
			why = "out of memory";
	}
	strvec_free(&words);
	return why;
}

/* One "Key=value" line; returns NULL or what is wrong with it. */
static const char *
parse_key(struct service *sv, const char *key, const char *v, bool *seen_exec)
{
	if (strcmp(key, "Description") == 0)
		return parse_string(v, &sv->sv_desc);
	if (strcmp(key, "Exec") == 0) {
		const char *why = "empty";

		if (*seen_exec)
			return "given twice";
		*seen_exec = true;
		if (parse_words(v, &sv->sv_argv, &why) < 0 ||
		    sv->sv_argv.v_n == 0)
			return why;
		return NULL;
	}
	if (strcmp(key, "Type") == 0) {
		if (strcmp(v, "simple") == 0)
			sv->sv_type = SV_SIMPLE;
		else if (strcmp(v, "oneshot") == 0)
			sv->sv_type = SV_ONESHOT;
		else
			return "not simple or oneshot";
		return NULL;
	}
	if (strcmp(key, "Requires") == 0)
		return parse_names(v, &sv->sv_requires);
	if (strcmp(key, "After") == 0)
		return parse_names(v, &sv->sv_after);
	if (strcmp(key, "Restart") == 0) {
		if (strcmp(v, "no") == 0)
			sv->sv_restart = SV_RESTART_NO;
		else if (strcmp(v, "on-failure") == 0)
			sv->sv_restart = SV_RESTART_ON_FAILURE;
		else if (strcmp(v, "always") == 0)
			sv->sv_restart = SV_RESTART_ALWAYS;
		else
			return "not no, on-failure or always";
		return NULL;
	}
	if (strcmp(key, "RestartMax") == 0)
		return parse_int(v, &sv->sv_restart_max);
	if (strcmp(key, "RestartWindow") == 0)
		return parse_int(v, &sv->sv_restart_window);
	if (strcmp(key, "User") == 0)
		return parse_string(v, &sv->sv_user);
	if (strcmp(key, "Group") == 0)
		return parse_string(v, &sv->sv_group);
	if (strcmp(key, "WorkingDirectory") == 0)
		return parse_string(v, &sv->sv_wdir);
	if (strcmp(key, "Environment") == 0)
		return parse_env(v, &sv->sv_env);
	if (strcmp(key, "StandardOutput") == 0) {
		if (strcmp(v, "log") == 0)
			sv->sv_output = SV_OUT_LOG;
		else if (strcmp(v, "console") == 0)
			sv->sv_output = SV_OUT_CONSOLE;
		else if (strcmp(v, "null") == 0)
			sv->sv_output = SV_OUT_NULL;
		else
			return "not console, log or null";
		return NULL;
	}
	if (strcmp(key, "TTY") == 0) {
		if (*v != '/')
			return "not an absolute path";
		return parse_string(v, &sv->sv_tty);
	}
	if (strcmp(key, "Enabled") == 0)
		return parse_bool(v, &sv->sv_enabled);
	return "unknown key";
}

/* Cut the blanks at both ends of s, in place. */
static char *
parse_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

/*
 * Read the service file path, the service NAME.  Returns the service, or
 * NULL after logging "path:line: problem" (the file is then skipped).
 */
struct service *
parse_service(const char *path, const char *name)
{
	struct service *sv;
	char line[4096], *key, *val, *eq;
	bool seen_exec = false;
	const char *why = NULL;
	FILE *f;
	int lineno = 0;

	if (!parse_name_ok(name)) {
		log_msg(NULL, "%s: skipped: \"%s\" is not a service name",
		    path, name);
		return NULL;
	}
	if ((f = fopen(path, "re")) == NULL) {
		log_msg(NULL, "%s: skipped: %s", path, strerror(errno));
		return NULL;
	}
	if ((sv = calloc(1, sizeof(*sv))) == NULL ||
	    (sv->sv_name = strdup(name)) == NULL ||
	    (sv->sv_file = strdup(path)) == NULL) {
		why = "out of memory";
		goto bad;
	}
	sv->sv_restart_max = 3;
	sv->sv_restart_window = 60;
	sv->sv_enabled = true;
	sv->sv_outfd = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			why = "line too long";
			goto bad;
		}
		line[strcspn(line, "\n")] = '\0';
		key = parse_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			why = "not Key=value";
			goto bad;
		}
		*eq = '\0';
		key = parse_trim(key);
		val = parse_trim(eq + 1);
		if ((why = parse_key(sv, key, val, &seen_exec)) != NULL) {
			log_msg(NULL, "%s:%d: %s: %s; file skipped", path,
			    lineno, key, why);
			goto fail;
		}
	}
	if (ferror(f)) {
		why = strerror(errno);
		goto bad;
	}
	if (!seen_exec) {
		lineno = 0;
		why = "no Exec=";
		goto bad;
	}
	fclose(f);
	if (sv->sv_restart_max > 0 && (sv->sv_restart_at = calloc(
	    sv->sv_restart_max, sizeof(*sv->sv_restart_at))) == NULL) {
		log_msg(NULL, "%s: skipped: out of memory", path);
		service_free(sv);
		return NULL;
	}
	return sv;

bad:
	log_msg(NULL, "%s:%d: %s; file skipped", path, lineno, why);
fail:
	fclose(f);
	service_free(sv);
	return NULL;
}
