"""Administrative units of Vietnam, agencies, people and the scope each person may see."""
