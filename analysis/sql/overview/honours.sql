-- Honours lists (co-construction bases, messengers, works) within the year range.
with final as (
    select year, list, name_zh, name_en, affiliation, city, provenance
    from honours
    where year between $year_from and $year_to
)
select * from final order by year desc, list, name_zh, name_en
