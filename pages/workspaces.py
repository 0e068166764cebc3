import streamlit as st
st.title("tmp")
