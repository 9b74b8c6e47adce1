mod inner {
    pub async fn go(client: &reqwest::Client) -> reqwest::Result<()> {
        super::super::a::fetch(client).await?; //~ unconsumed_response
        self::helper();
        Ok(())
    }

    fn helper() {}
}
