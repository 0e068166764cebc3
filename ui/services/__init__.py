"""Services: the cached work behind each page, one module per topic (Streamlit side of the seam).

A page collects its widgets' values into a settings dataclass and makes one call here per result; the service
calls ``opscore`` and caches the answer with ``st.cache_data``. Every service function takes explicit arguments
only: ``key`` (:func:`ui.state.cache_key`: workspace id, build, data version and as-of date), a frozen settings
dataclass or plain values, and uploaded frames. It reads tables with :func:`ui.state.table_at` and the store with
:func:`ui.state.store_for`, never ``st.session_state``, :func:`ui.state.table`, :func:`ui.state.current_store` or
:func:`ui.state.cache_key`, so one user's choices can never leak into another user's cached result.
"""
