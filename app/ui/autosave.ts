/**
 * Saving each answer as it is entered. Saves for a page go one at a time, in order, each naming
 * the revision it was based on; a failed save is retried with back-off and never dropped; a save
 * refused because a colleague changed the answer is kept as a conflict for the person to resolve.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { AnswerValue } from "../domain/answers";

/** "failed": some answer was refused (invalid, or changed by a colleague); it never reads "saved". */
export type SaveStatus = "idle" | "saving" | "saved" | "retrying" | "failed";
export type ConflictInfo = {
  questionId: string;
  yours: AnswerValue | null;
  theirs: AnswerValue | null;
  changedBy: string;
  changedAt: string;
  revision: number;
};

const DEBOUNCE_MS = 600;
const MAX_BACKOFF_MS = 30_000;

export function useAutosave(url: string, initialRevisions: Record<string, number>) {
  const revisions = useRef<Record<string, number>>({ ...initialRevisions });
  const pending = useRef(new Map<string, unknown>());
  const running = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Questions whose latest save was refused. */
  const refused = useRef(new Set<string>());
  const [status, setStatus] = useState<SaveStatus>("idle");
  const [conflicts, setConflicts] = useState<Record<string, ConflictInfo>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const run = useCallback((): Promise<void> => {
    if (running.current) return running.current;
    const work = (async () => {
      let backoff = 1000;
      while (pending.current.size > 0) {
        const [questionId, value] = pending.current.entries().next().value as [string, unknown];
        setStatus((s) => (s === "retrying" ? s : "saving"));
        let response: Response | undefined;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ questionId, value, baseRevision: revisions.current[questionId] ?? 0 }),
          });
        } catch {
          response = undefined;
        }
        if (!response || response.status >= 500 || response.status === 429) {
          setStatus("retrying");
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        backoff = 1000;
        const body = (await response.json().catch(() => ({}))) as {
          revision?: number;
          error?: string;
          message?: string;
          conflict?: ConflictInfo;
        };
        // Only forget the value if nothing newer was typed while it was on its way.
        if (pending.current.get(questionId) === value) pending.current.delete(questionId);
        if (response.ok && typeof body.revision === "number") {
          refused.current.delete(questionId);
          revisions.current[questionId] = body.revision;
          setErrors(({ [questionId]: _, ...rest }) => rest);
          setConflicts(({ [questionId]: _, ...rest }) => rest);
        } else if (response.status === 409 && body.conflict) {
          refused.current.add(questionId);
          setConflicts((c) => ({ ...c, [questionId]: body.conflict! }));
        } else {
          refused.current.add(questionId);
          setErrors((e) => ({ ...e, [questionId]: body.error ?? body.message ?? "This answer could not be saved" }));
        }
      }
      setStatus(refused.current.size > 0 ? "failed" : "saved");
    })().finally(() => {
      running.current = null;
    });
    running.current = work;
    return work;
  }, [url]);

  const schedule = useCallback(
    (questionId: string, value: unknown) => {
      pending.current.set(questionId, value);
      refused.current.delete(questionId);
      setStatus((s) => (s === "retrying" ? s : "saving"));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), DEBOUNCE_MS);
    },
    [run],
  );

  /** Send everything now and wait until it has been saved (or refused). */
  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    while (pending.current.size > 0 || running.current) await run();
  }, [run]);

  /**
   * An answer the page itself found invalid (so it was not sent) is not saved either: say so, and
   * forget it once the answer is valid again (its next save) or the question goes.
   */
  const markInvalid = useCallback((questionId: string, invalid: boolean) => {
    if (invalid) refused.current.add(questionId);
    else refused.current.delete(questionId);
    setStatus((s) => (s === "saving" || s === "retrying" ? s : refused.current.size > 0 ? "failed" : s === "failed" ? "saved" : s));
  }, []);

  /** Take the colleague's answer: its revision becomes the base for further changes. */
  const acceptTheirs = useCallback((questionId: string) => {
    refused.current.delete(questionId);
    if (refused.current.size === 0) setStatus((s) => (s === "failed" ? "saved" : s));
    setConflicts((c) => {
      const conflict = c[questionId];
      if (conflict) revisions.current[questionId] = conflict.revision;
      const { [questionId]: _, ...rest } = c;
      return rest;
    });
  }, []);

  /** Keep my answer: save it again on top of the colleague's revision. */
  const keepMine = useCallback(
    (questionId: string) => {
      const conflict = conflicts[questionId];
      if (!conflict) return;
      revisions.current[questionId] = conflict.revision;
      setConflicts(({ [questionId]: _, ...rest }) => rest);
      schedule(questionId, conflict.yours);
    },
    [conflicts, schedule],
  );

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.current.size > 0 || running.current) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return { status, conflicts, errors, setErrors, schedule, flush, revisions, acceptTheirs, keepMine, markInvalid };
}
