"""Run the same work in several threads released at the same moment, as several servers would."""

import threading

from django.db import connection


def run_at_once(task, times=2):
    """Call ``task()`` in ``times`` threads that start together; returns (results, errors)."""
    start, results, errors = threading.Barrier(times), [], []

    def worker():
        try:
            start.wait()
            results.append(task())
        except Exception as error:  # noqa: BLE001 - reported to the test, which asserts there were none
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
