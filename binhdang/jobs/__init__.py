"""Background work: a job per input (its state, progress and error for the person who started it and the
administrators), carried by Django's Tasks framework through the django-tasks database backend, so the queue
lives in the product's own database. docs/background-jobs.md describes the guarantees."""
