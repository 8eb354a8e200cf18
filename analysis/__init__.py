"""Chengdu–Chongqing Science Cooperation Atlas: everything testable without Streamlit."""
